export * from './identity';
export * from './signed-request';
export * from './jwt';
export * from './signing-fetch';
export * from './internal-commands';
