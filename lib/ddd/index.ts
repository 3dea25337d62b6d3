export * from './errors';
export * from './guard';
export * from './money';
export * from './currency';
export * from './aggregate-root';
export * from './clock';
export * from './page';
export * from './optimistic';
