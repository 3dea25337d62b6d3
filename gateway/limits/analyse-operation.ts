import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isCompositeType,
  valueFromASTUntyped,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { LimitName, QueryLimits } from './query-limits';

/** What an operation asks for, fragments expanded. */
export interface OperationMeasure {
  readonly depth: number;
  readonly cost: number;
  readonly aliases: number;
  readonly directives: number;
  readonly rootFields: number;
  readonly duplicateFields: number;
  /** Whether the cost depends on the request's variables (a page size given as a variable); else it can be cached. */
  readonly variableDependent: boolean;
}

export type OperationAnalysis =
  | { readonly ok: true; readonly measure: OperationMeasure }
  /**
   * A limit was passed. `exact`: `measured` is the whole figure; otherwise the walk stopped there and `measured` is
   * only the first value found over the limit.
   */
  | { readonly ok: false; readonly limit: LimitName; readonly measured: number; readonly exact: boolean };

/** Thrown inside the walk to stop it at the first limit passed; never escapes analyseOperation. */
class LimitPassed {
  constructor(
    readonly limit: LimitName,
    readonly measured: number,
    readonly exact = false,
  ) {}
}

/** Counters of one selection tree: the operation's, or a fragment's own (memoized and reused at every spread). */
interface Tally {
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  /** Fields directly in the tree's top selection set (inline fragments merged): root fields for the operation. */
  topFields: number;
  duplicateFields: number;
  /**
   * Distinct response names of a fragment's top fields: merged into the selection set at each spread, as validation
   * merges them. A set, so a fragment spreading another twice does not double it (2^n names for n fragments).
   */
  readonly topNames: Set<string>;
}

const newTally = (): Tally => ({ cost: 0, depth: 0, aliases: 0, directives: 0, topFields: 0, duplicateFields: 0, topNames: new Set() });

/**
 * Measures a document in one pass, before validation: each fragment is walked once (its tally is memoized and added,
 * times the page-size multiplier, at every spread), so a chain of fragments that each spread the next twice costs a
 * walk of each fragment, not 2^n. Every selected field costs one unit times the page sizes around it, `__typename`
 * and introspection fields included. The walk stops at the first limit passed.
 *
 * Every operation and every fragment of the document is walked and held to the limits, not only the operation that
 * will run: validation visits the whole document, so an unused fragment or another operation must not be a way to
 * hand it a pathological selection set. The measure returned is that of `operation` (the one that runs).
 *
 * The document is not validated yet: unknown fields, fragments or types are counted like any other selection
 * (validation refuses them afterwards), and a fragment cycle is walked once and left to validation to report. A
 * fragment spread twice in one selection set is counted twice (execution merges it): the estimate errs high.
 */
export function analyseOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  variables: Readonly<Record<string, unknown>>,
  limits: QueryLimits,
): OperationAnalysis {
  try {
    return { ok: true, measure: new DocumentWalk(schema, document, operation, variables, limits).run() };
  } catch (error) {
    if (error instanceof LimitPassed) return { ok: false, limit: error.limit, measured: error.measured, exact: error.exact };
    throw error;
  }
}

const NO_OPERATION: OperationMeasure = { depth: 0, cost: 0, aliases: 0, directives: 0, rootFields: 0, duplicateFields: 0, variableDependent: false };

class DocumentWalk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly operations: OperationDefinitionNode[] = [];
  /** Memoized fragment tallies; `null` while a fragment is being walked (a cycle). */
  private readonly fragmentTallies = new Map<string, Tally | null>();
  private readonly effectiveVariables: Record<string, unknown>;
  private variableDependent = false;
  /** The tally of the operation being walked: only its top fields are root fields (a fragment's may sit deeper). */
  private operationTally = newTally();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly selected: OperationDefinitionNode | undefined,
    variables: Readonly<Record<string, unknown>>,
    private readonly limits: QueryLimits,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        if (!this.fragments.has(definition.name.value)) this.fragments.set(definition.name.value, definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        this.operations.push(definition);
      }
    }
    // Variables the request leaves out take the operation's default values (GraphQL spec 6.4.1, CoerceVariableValues).
    this.effectiveVariables = { ...variables };
    for (const definition of selected?.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      if (this.effectiveVariables[name] === undefined && definition.defaultValue) this.effectiveVariables[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }

  run(): OperationMeasure {
    let measure = NO_OPERATION;
    // The operation that runs first, so its figures are the ones reported when it passes a limit.
    const ordered = this.selected ? [this.selected, ...this.operations.filter((operation) => operation !== this.selected)] : this.operations;
    for (const operation of ordered) {
      const declared = operation.variableDefinitions?.length ?? 0;
      if (declared > this.limits.maxVariables) throw new LimitPassed('variables', declared, true);
      const tally = newTally();
      this.operationTally = tally;
      this.countDirectives(tally, operation.directives);
      for (const definition of operation.variableDefinitions ?? []) this.countDirectives(tally, definition.directives);
      this.walk(operation.selectionSet, rootType(this.schema, operation), 1, 1, tally, new Set());
      if (operation === this.selected) {
        measure = {
          depth: tally.depth,
          cost: tally.cost,
          aliases: tally.aliases,
          directives: tally.directives,
          rootFields: tally.topFields,
          duplicateFields: tally.duplicateFields,
          variableDependent: false,
        };
      }
    }
    for (const name of this.fragments.keys()) this.fragmentTally(name);
    return { ...measure, variableDependent: this.variableDependent };
  }

  /**
   * Walks one selection set whose fields sit at `depth`, each costing `multiplier`. `names` holds the response names
   * already selected in this (merged) selection set: inline fragments share their parent's, as validation merges
   * them; a named fragment has its own, as validation compares it with its spread site as a whole.
   */
  private walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, depth: number, multiplier: number, tally: Tally, names: Set<string>): void {
    const top = depth === 1;
    for (const selection of selectionSet.selections) {
      this.countDirectives(tally, selection.directives);
      if (selection.kind === Kind.FIELD) {
        if (top) this.add(tally, 'topFields', 1, this.rootFieldLimit(tally), 'rootFields');
        if (selection.alias) this.add(tally, 'aliases', 1, this.limits.maxAliases, 'aliases');
        const responseName = selection.alias?.value ?? selection.name.value;
        if (top && tally !== this.operationTally) tally.topNames.add(responseName);
        if (names.has(responseName)) this.add(tally, 'duplicateFields', 1, this.limits.maxDuplicateFields, 'duplicateFields');
        else names.add(responseName);
        this.add(tally, 'cost', multiplier, this.limits.maxCost, 'cost');
        if (depth > tally.depth) {
          tally.depth = depth;
          if (depth > this.limits.maxDepth) throw new LimitPassed('depth', depth);
        }
        if (selection.selectionSet) {
          const field = fieldOf(this.schema, parent, selection.name.value);
          const type = field ? getNamedType(field.type) : undefined;
          const pageSize = field ? this.pageSize(field, selection.arguments) : 1;
          this.walk(selection.selectionSet, type && isCompositeType(type) ? type : undefined, depth + 1, multiplier * pageSize, tally, new Set());
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? this.schema.getType(typeName) : parent;
        this.walk(selection.selectionSet, type && isCompositeType(type) ? type : undefined, depth, multiplier, tally, names);
      } else {
        const fragment = this.fragmentTally(selection.name.value);
        if (!fragment) continue;
        if (top) this.add(tally, 'topFields', fragment.topFields, this.rootFieldLimit(tally), 'rootFields');
        this.add(tally, 'aliases', fragment.aliases, this.limits.maxAliases, 'aliases');
        this.add(tally, 'directives', fragment.directives, this.limits.maxDirectives, 'directives');
        this.add(tally, 'duplicateFields', fragment.duplicateFields, this.limits.maxDuplicateFields, 'duplicateFields');
        this.add(tally, 'cost', multiplier * fragment.cost, this.limits.maxCost, 'cost');
        // After the cost: every top field costs at least one unit, so these loops run at most maxCost times in all.
        for (const name of fragment.topNames) {
          if (names.has(name)) this.add(tally, 'duplicateFields', 1, this.limits.maxDuplicateFields, 'duplicateFields');
          else names.add(name);
          if (top && tally !== this.operationTally) tally.topNames.add(name);
        }
        const deepest = depth - 1 + fragment.depth;
        if (deepest > tally.depth) {
          tally.depth = deepest;
          if (deepest > this.limits.maxDepth) throw new LimitPassed('depth', deepest);
        }
      }
    }
  }

  /**
   * A fragment's own tally, walked once at relative depth 1 with multiplier 1. A fragment over a limit on its own
   * puts every operation spreading it over that limit too (spreads only add), so limits apply inside it as well.
   */
  private fragmentTally(name: string): Tally | undefined {
    const known = this.fragmentTallies.get(name);
    if (known) return known;
    // A cycle (refused by validation later) or an unknown fragment adds nothing.
    if (known === null) return undefined;
    const definition = this.fragments.get(name);
    if (!definition) return undefined;
    this.fragmentTallies.set(name, null);
    const tally = newTally();
    this.countDirectives(tally, definition.directives);
    const type = this.schema.getType(definition.typeCondition.name.value);
    this.walk(definition.selectionSet, type && isCompositeType(type) ? type : undefined, 1, 1, tally, new Set());
    this.fragmentTallies.set(name, tally);
    return tally;
  }

  private rootFieldLimit(tally: Tally): number {
    return tally === this.operationTally ? this.limits.maxRootFields : Number.POSITIVE_INFINITY;
  }

  private countDirectives(tally: Tally, directives: readonly DirectiveNode[] | undefined): void {
    if (directives && directives.length > 0) this.add(tally, 'directives', directives.length, this.limits.maxDirectives, 'directives');
  }

  private add(tally: Tally, counter: Exclude<keyof Tally, 'depth' | 'topNames'>, amount: number, max: number, limit: LimitName): void {
    const value = tally[counter] + amount;
    tally[counter] = value;
    if (value > max) throw new LimitPassed(limit, value);
  }

  /**
   * How many items a list field returns: its `first` argument, given literally or through a variable, else the
   * argument's default. A page size left out, null, or a variable the request omits means the default page, not a
   * free one; otherwise `query($n: Int = 100) { products(first: $n) ... }` would be priced at one item per page.
   */
  private pageSize(field: GraphQLField<unknown, unknown>, args: readonly ArgumentNode[] | undefined): number {
    const definition = field.args.find((arg) => arg.name === 'first');
    if (!definition) return 1;
    const given = args?.find((arg) => arg.name.value === 'first')?.value;
    let value: unknown;
    if (given?.kind === Kind.VARIABLE) {
      this.variableDependent = true;
      value = this.effectiveVariables[given.name.value];
    } else if (given?.kind === Kind.INT) {
      value = Number(given.value);
    }
    value ??= definition.defaultValue;
    return typeof value === 'number' && Number.isFinite(value) && value > 1 ? Math.floor(value) : 1;
  }
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType | undefined {
  if (operation.operation === 'query') return schema.getQueryType() ?? undefined;
  if (operation.operation === 'mutation') return schema.getMutationType() ?? undefined;
  return schema.getSubscriptionType() ?? undefined;
}

/** The field a selection names, introspection's `__schema` and `__type` included (`__typename` has no selection). */
function fieldOf(schema: GraphQLSchema, parent: GraphQLCompositeType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (!parent) return undefined;
  if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}
