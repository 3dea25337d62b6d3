export * from './identity';
export * from './signed-identity';
export * from './jwt';
