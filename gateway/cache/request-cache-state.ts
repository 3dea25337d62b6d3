/**
 * What the subgraph fetches of one client request learned for the whole-response cache: the tags of the data they
 * returned. Kept beside the request's context object, which both the data sources and the plugin see.
 */
export interface RequestCacheState {
  readonly tags: Set<string>;
}

const states = new WeakMap<object, RequestCacheState>();

export function requestCacheState(context: object): RequestCacheState {
  let state = states.get(context);
  if (!state) {
    state = { tags: new Set() };
    states.set(context, state);
  }
  return state;
}
