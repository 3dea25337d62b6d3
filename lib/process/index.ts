export * from './child';
export * from './stop-on-signal';
