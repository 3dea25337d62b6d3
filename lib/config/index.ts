export * from './env';
export * from './app-config';
export * from './secrets-policy';
export * from './stripe-config';
export * from './mail-config';
export * from './client-config';
