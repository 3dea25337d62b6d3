export * from './catalog-http-acl';
export * from './catalog-product-translation';
export * from './create-catalog-acl';
