export * from './errors';
export * from './pagination';
export * from './subgraph-server';
export * from './scalars';
export * from './apollo-logger';
export * from './unavailable-status';
