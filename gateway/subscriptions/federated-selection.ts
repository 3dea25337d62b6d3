import {
  Kind,
  OperationTypeNode,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';

const ORDER_ID_VARIABLE = '__subscriptionOrderId';

export interface FederatedQuery {
  readonly document: DocumentNode;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/**
 * Turns the client's selection under `orderStatusChanged { order { ... } }` into a query the supergraph can plan:
 *   query ($__subscriptionOrderId: ID!, <variables it uses>) { order(id: $__subscriptionOrderId) { ... } } <fragments it uses>
 * so every subgraph's Order fields (Catalog's product names, Rewards' points) resolve through the gateway.
 */
export function orderQueryFor(info: GraphQLResolveInfo, orderId: string): FederatedQuery {
  const selections: SelectionNode[] = info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  const fragments = usedFragments(selections, info.fragments);
  const usedVariables = new Set<string>();
  for (const node of [...selections, ...fragments]) {
    visit(node, {
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  }
  const variableDefinitions: VariableDefinitionNode[] = [
    {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ORDER_ID_VARIABLE } },
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
    },
    ...(info.operation.variableDefinitions ?? []).filter((definition) => usedVariables.has(definition.variable.name.value)),
  ];
  const orderField: FieldNode = {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: 'order' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'id' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ORDER_ID_VARIABLE } },
      },
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: { kind: Kind.NAME, value: 'OrderStatusChangedOrder' },
        variableDefinitions,
        selectionSet: { kind: Kind.SELECTION_SET, selections: [orderField] },
      },
      ...fragments,
    ],
  };
  const variables: Record<string, unknown> = { [ORDER_ID_VARIABLE]: orderId };
  for (const name of usedVariables) {
    if (name in info.variableValues) variables[name] = info.variableValues[name];
  }
  return { document, query: print(document), variables };
}

/** Fragments reachable from the selections, each once (validation already rejected cycles). */
function usedFragments(selections: readonly SelectionNode[], all: Record<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (nodes: readonly SelectionNode[]) => {
    for (const node of nodes) {
      visit(node, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          const fragment = all[name];
          if (fragment && !found.has(name)) {
            found.set(name, fragment);
            walk(fragment.selectionSet.selections);
          }
        },
      });
    }
  };
  walk(selections);
  return [...found.values()];
}
