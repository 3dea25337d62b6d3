import type { QueryLimitsSettings } from '../../lib/config/edge-config';
import { QueryTooComplexError } from '../../lib/ddd';

/**
 * What one operation may ask of the gateway (defaults and variables: lib/config/edge-config.ts). Every limit is
 * checked before the document is validated or planned: graphql-js validation is superlinear for some shapes
 * (OverlappingFieldsCanBeMerged compares every pair of same-named fields in a selection set), so a document has to
 * be proven small first.
 */
export type QueryLimits = QueryLimitsSettings;

export type LimitName = 'depth' | 'cost' | 'aliases' | 'tokens' | 'length' | 'directives' | 'rootFields' | 'duplicateFields' | 'variables' | 'variablesSize';

const LIMIT_OF: Readonly<Record<LimitName, keyof QueryLimits>> = {
  depth: 'maxDepth',
  cost: 'maxCost',
  aliases: 'maxAliases',
  tokens: 'maxTokens',
  length: 'maxQueryLength',
  directives: 'maxDirectives',
  rootFields: 'maxRootFields',
  duplicateFields: 'maxDuplicateFields',
  variables: 'maxVariables',
  variablesSize: 'maxVariablesBytes',
};

const DESCRIPTION: Readonly<Record<LimitName, string>> = {
  depth: 'query depth',
  cost: 'query cost',
  aliases: 'number of aliases',
  tokens: 'number of tokens',
  length: 'length of the document',
  directives: 'number of directives',
  rootFields: 'number of root fields',
  duplicateFields: 'number of duplicate fields',
  variables: 'number of variables',
  variablesSize: 'size of the variables',
};

const HINT: Partial<Record<LimitName, string>> = {
  cost: '; ask for smaller pages (first)',
  variablesSize: ' characters of JSON',
  length: ' characters',
};

/**
 * The one QUERY_TOO_COMPLEX error for every limit and transport. When the analysis stopped as soon as the limit was
 * passed, the measured value is only known to be larger: the message says "more than N".
 */
export function queryTooComplex(limit: LimitName, limits: QueryLimits, measured: number, exact: boolean): QueryTooComplexError {
  const max = limits[LIMIT_OF[limit]];
  const value = exact ? String(measured) : `more than ${max}`;
  return new QueryTooComplexError(`${DESCRIPTION[limit]} ${value} exceeds the limit of ${max}${HINT[limit] ?? ''}`, {
    limit,
    max,
    measured: exact ? measured : `more than ${max}`,
  });
}

/**
 * The largest request body (HTTP) or message (WebSocket) worth reading: a document and variables at their limits,
 * with room for JSON escaping (a quarter more characters: quotes and newlines in a document) and the rest of the
 * request. Anything larger is refused before its JSON is parsed, which for a body of many small keys costs more
 * than every check after it: the bound keeps the worst parse an attacker can ask for to a few milliseconds.
 */
export function requestSizeLimit(limits: QueryLimits): number {
  return Math.ceil((limits.maxQueryLength + limits.maxVariablesBytes) * 1.25) + 16 * 1024;
}
