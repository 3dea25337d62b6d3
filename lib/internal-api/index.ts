export * from './router';
export * from './express';
export * from './client';
