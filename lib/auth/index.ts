export * from './identity';
export * from './signed-identity';
export * from './jwt';
export * from './internal-commands';
