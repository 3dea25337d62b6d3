export * from './sigv4';
export * from './secrets';
export * from './signed-fetch';
