export * from './sigv4';
export * from './variable-references';
export * from './signed-fetch';
