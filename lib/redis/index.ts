export * from './client';
export * from './local';
export * from './health';
