/**
 * What the subgraph fetches of one client request learned for the whole-response cache: the tags of the data they
 * returned. Kept beside the request's context object, which both the data sources and the plugin see.
 */
export interface RequestCacheState {
  readonly tags: Set<string>;
  /** The response is another request's (in-flight dedupe): it is not stored again, under this request's empty tags. */
  shared: boolean;
  /** The cache epochs at which this request's subgraph fetches left (a shared fetch may predate the request). */
  readonly fetchEpochs: Set<number>;
}

const states = new WeakMap<object, RequestCacheState>();

export function requestCacheState(context: object): RequestCacheState {
  let state = states.get(context);
  if (!state) {
    state = { tags: new Set(), shared: false, fetchEpochs: new Set() };
    states.set(context, state);
  }
  return state;
}
