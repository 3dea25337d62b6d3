export * from './child';
