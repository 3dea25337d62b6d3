export * from './env';
export * from './app-config';
export * from './secrets-policy';
export * from './setting';
export * from './client-config';
export * from './stripe-config';
export * from './mail-config';
export * from './storefront-config';
