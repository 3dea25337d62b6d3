import { describeCatalogAclContract } from './test-support/catalog-acl-contract';

describeCatalogAclContract({ name: 'memory', aclStore: () => ({ redisUrl: undefined }) });
