export * from './status';
export * from './service-app';
export * from './listen';
export * from './conditional';
export * from './health';
export * from './metrics-endpoint';
export * from './read-body';
