/// <reference types="vite/client" />

/** The storefront's persisted-query ids (id and name of each manifest operation, no bodies), from vite.config.mts. */
declare module 'virtual:persisted-query-ids' {
  const manifest: { operations: { id: string; name: string }[] };
  export default manifest;
}
