import { readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { compileSubgraphSchema } from './lib/graphql/compile-subgraph-schema';
import { apiSchemaSdl } from './scripts/api-schema';

/**
 * For each subgraph, from schema/<context>.graphql:
 * - `resolvers-types.ts`: typed resolvers; mappers bind GraphQL types to what resolvers really return (domain
 *   objects), so a resolver that returns the wrong shape fails the typecheck;
 * - `subgraph-schema.ts`: the schema compiled as @apollo/subgraph's buildSubgraphSchema does it with the federation
 *   library (lib/graphql/compile-subgraph-schema.ts), so servers, Lambda bundles and tests load it without file I/O
 *   and without that library (lib/graphql/subgraph-schema.ts).
 * And for the storefront, from its operations in web/src/graphql/*.graphql, checked against the supergraph's API
 * schema (what the gateway validates them with): typed documents (client preset) in web/src/__generated__/.
 * The output is checked in; `npm run codegen:check` fails when it is stale.
 */
const shared = {
  federation: true,
  useIndexSignature: true,
  enumsAsTypes: true,
  useTypeImports: true,
  mapperTypeSuffix: 'Model',
  scalars: { DateTime: { input: 'string', output: 'Date | string' } },
};

interface SubgraphCodegen {
  readonly context: string;
  readonly contextType: string;
  readonly mappers: Record<string, string>;
}

const subgraphs: SubgraphCodegen[] = [
  {
    context: 'catalog',
    contextType: '../catalog-context#CatalogContext',
    mappers: { Product: '../../domain/product#Product' },
  },
  {
    context: 'orders',
    contextType: '../orders-context#OrdersContext',
    mappers: {
      Order: '../../domain/order#Order',
      OrderItem: '../../domain/order-item#OrderItem',
      Customer: '../orders-context#CustomerRef',
      Product: '../orders-context#ProductRef',
      Money: '../../../../lib/ddd#MoneyProps',
      OrderStatusUpdate: '../orders-context#OrderStatusUpdateRef',
    },
  },
  {
    context: 'rewards',
    contextType: '../rewards-context#RewardsContext',
    mappers: {
      RewardAccount: '../../domain/reward-account#RewardAccount',
      RewardTransaction: '../../domain/reward-transaction#RewardTransaction',
      Customer: '../rewards-context#CustomerRef',
      Order: '../rewards-context#OrderRef',
    },
  },
  {
    context: 'payments',
    contextType: '../payments-context#PaymentsContext',
    mappers: {
      Payment: '../../domain/payment#Payment',
      Order: '../payments-context#OrderRef',
      Money: '../../../../lib/ddd#MoneyProps',
    },
  },
  {
    context: 'shipping',
    contextType: '../shipping-context#ShippingContext',
    mappers: {
      Shipment: '../../domain/shipment#Shipment',
      Order: '../shipping-context#OrderRef',
    },
  },
];

const generates: CodegenConfig['generates'] = {};
for (const subgraph of subgraphs) {
  const schema = `schema/${subgraph.context}.graphql`;
  const out = `subgraphs/${subgraph.context}/graphql/__generated__`;
  generates[`${out}/resolvers-types.ts`] = {
    schema,
    plugins: ['typescript', 'typescript-resolvers'],
    config: { ...shared, contextType: subgraph.contextType, mappers: subgraph.mappers },
  };
  generates[`${out}/subgraph-schema.ts`] = {
    schema,
    plugins: [
      {
        add: {
          content: [
            `// Generated from ${schema} by \`npm run codegen\` (lib/graphql/compile-subgraph-schema.ts); do not edit.`,
            `import type { CompiledSubgraphSchema } from '../../../../lib/graphql/subgraph-schema';`,
            '',
            `export const subgraphSchema: CompiledSubgraphSchema = ${JSON.stringify(compileSubgraphSchema(readFileSync(schema, 'utf8')), null, 2)};`,
          ],
        },
      },
    ],
  };
}

generates['web/src/__generated__/'] = {
  schema: apiSchemaSdl(),
  documents: ['web/src/graphql/**/*.graphql'],
  preset: 'client',
  // Components read the fields they select straight from the result: no fragment masking, no `graphql()` tag.
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string' },
  },
};

const config: CodegenConfig = { overwrite: true, generates };

export default config;
