export * from './tracer';
export * from './service-scope';
export * from './trace-context';
export * from './lifecycle';
