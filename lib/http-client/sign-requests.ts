import type { Dispatcher } from 'undici';
import type { RequestSigner } from '../aws/sigv4';
import { DetachedController } from './forwarding-handler';

function headerRecord(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) record[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    return record;
  }
  const entries = Symbol.iterator in Object(headers) ? [...(headers as Iterable<[string, string | string[] | undefined]>)] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return record;
}

/**
 * Signs every request that reaches the origin (SigV4 for IAM-authenticated Lambda function URLs). It sits below
 * the cache and the retry interceptors: cache hits need no signature, and each retry attempt is signed anew with
 * its own timestamp. Only string bodies are signed; the clients using this send GETs.
 */
export function signRequests(sign: RequestSigner): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = new URL(opts.path, String(opts.origin));
    sign({
      method: opts.method,
      url: url.href,
      headers: headerRecord(opts.headers),
      body: typeof opts.body === 'string' ? opts.body : undefined,
    }).then(
      (signed) => {
        // `host` is signed but undici sets it from the origin, with the same value.
        const { host: _host, ...headers } = signed;
        dispatch({ ...opts, headers }, handler);
      },
      (error: unknown) => {
        const controller = new DetachedController();
        handler.onRequestStart?.(controller, {});
        handler.onResponseError?.(controller, error instanceof Error ? error : new Error(String(error)));
      },
    );
    return true;
  };
}
