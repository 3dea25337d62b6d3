export * from './service-runtime';
export * from './subgraph-service';
