import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode } from '../lib/ddd';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
}

export interface QueryMeasure {
  readonly depth: number;
  readonly cost: number;
}

/**
 * Depth and cost of an operation before it is planned. Cost counts every field once, and a field with a `first`
 * argument (a connection) multiplies the cost of what it selects by that page size (or the argument's default),
 * so `products(first: 100) { edges { node { ... } } }` costs a hundred times its node. Introspection fields are
 * free, so Apollo Sandbox and codegen can always read the schema.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryMeasure {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { depth: 0, cost: 0 };
  // Variables the request leaves out take the operation's default values (GraphQL spec 6.4.1, CoerceVariableValues).
  const effectiveVariables: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (effectiveVariables[name] === undefined && definition.defaultValue) effectiveVariables[name] = valueFromASTUntyped(definition.defaultValue);
  }

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number, seen: Set<string>): QueryMeasure => {
    let maxDepth = depth;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        const childType = field ? getNamedType(field.type) : undefined;
        let multiplier = 1;
        const firstArgument = field?.args.find((arg) => arg.name === 'first');
        if (firstArgument) {
          const given = selection.arguments?.find((arg) => arg.name.value === 'first');
          // A page size left out, null, or a variable the request omits means the default page, not a free one;
          // otherwise `query($n: Int = 100) { products(first: $n) ... }` would be priced at one item per page.
          const value = (given ? valueOf(given.value, effectiveVariables) : undefined) ?? firstArgument.defaultValue;
          multiplier = typeof value === 'number' && value > 0 ? value : 1;
        }
        if (selection.selectionSet && childType && isCompositeType(childType)) {
          const child = visit(selection.selectionSet, childType, depth + 1, seen);
          maxDepth = Math.max(maxDepth, child.depth);
          cost += 1 + multiplier * child.cost;
        } else {
          cost += 1;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        const child = visit(selection.selectionSet, type && isCompositeType(type) ? type : parent, depth, seen);
        maxDepth = Math.max(maxDepth, child.depth);
        cost += child.cost;
      } else {
        const name = selection.name.value;
        const fragment = fragments[name];
        // Cycles are rejected by validation; the guard keeps this function total anyway.
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        const child = visit(fragment.selectionSet, type && isCompositeType(type) ? type : parent, depth, new Set([...seen, name]));
        maxDepth = Math.max(maxDepth, child.depth);
        cost += child.cost;
      }
    }
    return { depth: maxDepth, cost };
  };

  return visit(operation.selectionSet, root, 1, new Set());
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** Rejects operations deeper or costlier than the limits with QUERY_TOO_COMPLEX, before any subgraph is called. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const { depth, cost } = measureOperation(schema, operation, fragments, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, depth, maxDepth: limits.maxDepth, http: { status: 400 } },
            });
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(`query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first)`, {
              extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
