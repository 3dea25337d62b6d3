export * from './service-runtime';
export * from './subgraph-spec';
export * from './subgraph-service';
