export * from './map-limit';
export * from './periodic-job';
