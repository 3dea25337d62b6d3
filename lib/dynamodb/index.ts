export * from './client';
export * from './table-definition';
export * from './cursor';
export * from './batch-get';
export * from './errors';
export * from './instrument';
export * from './transact';
export * from './query-page';
