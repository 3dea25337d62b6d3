export * from './status';
export * from './service-app';
export * from './listen';
export * from './conditional';
export * from './metrics-endpoint';
