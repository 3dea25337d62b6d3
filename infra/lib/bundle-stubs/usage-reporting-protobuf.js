'use strict';
/**
 * Stands in for @apollo/usage-reporting-protobuf (about 210 KB minified) in the Lambda bundles. Its only users
 * are Apollo Server's usage-reporting and inline-trace plugins, which every function here runs disabled (no
 * APOLLO_KEY; ApolloServerPluginInlineTraceDisabled). Should either ever run, it fails loudly here instead of
 * reporting nothing.
 */
function unavailable() {
  throw new Error('Apollo usage reporting and inline tracing are not bundled in this function');
}

function Message() {
  unavailable();
}
Message.encode = unavailable;
Message.decode = unavailable;
Message.verify = unavailable;

const handler = { get: (target, key) => (key in target ? target[key] : Message) };
const Trace = new Proxy(Message, handler);

module.exports = new Proxy({ Trace, __esModule: false }, handler);
