import type { Registry } from 'prom-client';
import { BrokenCircuitError } from 'cockatiel';
import * as z from 'zod';
import { internalCommandKey, serviceIdentity, signRequest, type ServiceName } from '../auth';
import { signedFetch } from '../aws/signed-fetch';
import { createSigV4Signer, type RequestSigner } from '../aws/sigv4';
import type { AppConfig } from '../config';
import { errorFromCode, type AppError } from '../ddd';
import { createCircuitBreaker, type CircuitBreaker } from '../http-client/circuit-breaker';
import { CircuitOpenError, DeadlineExceededError } from '../http-client/errors';
import { originRequestTimer, type OriginRequestTimer } from '../http-client/origin-timing';
import { CORRELATION_HEADER, currentCorrelationId, type Logger } from '../logging';

export interface InternalClientOptions {
  /** Label of this client in logs and metrics (`http_client_*{client}`), e.g. `catalog-stock`. */
  readonly name: string;
  /**
   * The callee's base URL: its origin, plus a path prefix when it sits behind one. A function when the address is
   * known only after this client is built (contexts started in one process on port 0, each needing the other's);
   * it is asked at each call, and a call before it can answer is `unavailable`.
   */
  readonly baseUrl: string | (() => string);
  /** The service this process speaks as. */
  readonly caller: ServiceName;
  /** GATEWAY_SIGNING_SECRET: the internal command key is derived from it (lib/auth/internal-commands.ts). */
  readonly signingSecret: string;
  /** Budget of one call, connection included. */
  readonly timeoutMs: number;
  readonly breakerThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
  /** SigV4 when the callee is an IAM-authenticated Lambda function URL. */
  readonly sign?: RequestSigner | undefined;
  readonly registry: Registry;
  readonly logger: Logger;
  /**
   * The error the caller's use cases get when the callee cannot answer (unreachable, past the deadline, circuit
   * open, 5xx, an answer outside the contract, or a refused service identity, which is a deployment fault).
   */
  readonly unavailable: (context: Readonly<Record<string, unknown>>, cause?: unknown) => AppError;
  /** The field a BAD_USER_INPUT answer without `details.field` is reported on. */
  readonly defaultField?: string;
}

export interface InternalCallOptions<T> {
  /** The callee's answer on 200, checked against the contract; anything else is `unavailable`. */
  readonly schema: z.ZodType<T>;
  readonly body?: unknown;
  /** Safe, short facts for logs and for the `unavailable` error's details (e.g. { orderId }). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * A client's settings from the configuration: the callee's base URL, the signing secret, INTERNAL_API_TIMEOUT_MS and
 * the INTERNAL_API_BREAKER_* settings, and SigV4 with the function's role where callees are IAM-authenticated Lambda
 * function URLs (SUBGRAPH_AUTH=iam).
 */
export function internalClientSettings(
  config: Pick<AppConfig, 'gatewaySigningSecret' | 'internalApi' | 'subgraphAuth' | 'dynamodb'>,
  baseUrl: InternalClientOptions['baseUrl'],
): Pick<InternalClientOptions, 'baseUrl' | 'signingSecret' | 'timeoutMs' | 'breakerThreshold' | 'breakerHalfOpenAfterMs' | 'sign'> {
  return {
    baseUrl,
    signingSecret: config.gatewaySigningSecret,
    timeoutMs: config.internalApi.timeoutMs,
    breakerThreshold: config.internalApi.breakerThreshold,
    breakerHalfOpenAfterMs: config.internalApi.breakerHalfOpenAfterMs,
    ...(config.subgraphAuth === 'iam' ? { sign: createSigV4Signer({ region: config.dynamodb.region }) } : {}),
  };
}

const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

/**
 * The client side of the internal APIs (router.ts): signs every call as this service with the internal command
 * key (plus SigV4 on AWS), gives it a deadline, and stops calling a failing callee for a while (circuit breaker),
 * so a caller fails fast with its own "unavailable" error instead of queueing behind timeouts. Answers are
 * checked against the contract (zod) and refusals come back as the contract's typed errors (errorFromCode).
 * Nothing is retried here: callers retry where the command is idempotent by its key (an order id).
 *
 * The transport is Node's built-in fetch, with its process-wide keep-alive pool: one small JSON exchange per call
 * needs none of the undici package's interceptors (the caching client in lib/http-client does), and a Lambda
 * bundle that calls another context then carries no HTTP client of its own (about 0.35 MB against its 1.5 MB
 * budget: docs/deploy.md).
 */
export class InternalApiClient {
  readonly #base: () => { readonly origin: string; readonly basePath: string };
  readonly #key: string;
  readonly #options: InternalClientOptions;
  readonly #logger: Logger;
  readonly #breaker: CircuitBreaker;
  readonly #timer: OriginRequestTimer;
  readonly #fetch: typeof fetch;

  constructor(options: InternalClientOptions) {
    const { baseUrl } = options;
    if (typeof baseUrl === 'string') {
      const base = splitBaseUrl(baseUrl);
      this.#base = () => base;
    } else {
      this.#base = () => splitBaseUrl(baseUrl());
    }
    this.#key = internalCommandKey(options.signingSecret);
    this.#options = options;
    this.#logger = options.logger.child({ component: options.name });
    const target = { registry: options.registry, client: options.name };
    this.#breaker = createCircuitBreaker({ ...target, threshold: options.breakerThreshold, halfOpenAfterMs: options.breakerHalfOpenAfterMs, logger: this.#logger });
    this.#timer = originRequestTimer(target);
    // SigV4 covers the identity headers too, and is part of the exchange's deadline.
    this.#fetch = options.sign ? signedFetch(options.sign, fetch) : fetch;
  }

  /** GET or POST `path` (below the base URL); the callee's answer, or its refusal as a typed error. */
  async call<T>(method: 'GET' | 'POST', path: string, options: InternalCallOptions<T>): Promise<T> {
    const context = options.context ?? {};
    const { status, json } = await this.#send(method, path, options.body, context);
    if (status === 200) {
      const parsed = options.schema.safeParse(json);
      if (parsed.success) return parsed.data;
      this.#logger.error({ ...context, path, problems: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) }, 'an internal API answered outside its contract');
      throw this.#options.unavailable(context);
    }
    throw this.#refusal(status, json, path, context);
  }

  /** Nothing of its own to release: connections belong to fetch's shared pool, which closes idle ones itself. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #send(method: string, path: string, body: unknown, context: Readonly<Record<string, unknown>>): Promise<{ status: number; json: unknown }> {
    const correlationId = currentCorrelationId();
    const text = body === undefined ? undefined : JSON.stringify(body);
    try {
      const { origin, basePath } = this.#base();
      const target = `${basePath}${path}`;
      const headers = {
        accept: 'application/json',
        ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}),
        ...signRequest({ caller: serviceIdentity(this.#options.caller), method, path: target, body: text }, this.#key),
      };
      // One breaker call per exchange; a failure to connect, a missed deadline or a 5xx/429 counts against it.
      const { statusCode, answer } = await this.#breaker.policy.execute(() => this.#exchange(method, `${origin}${target}`, headers, text));
      let json: unknown;
      try {
        json = JSON.parse(answer);
      } catch {
        json = undefined;
      }
      return { status: statusCode, json };
    } catch (error) {
      const failure = error instanceof BrokenCircuitError ? new CircuitOpenError() : error;
      this.#logger.warn({ ...context, err: failure, path }, 'internal call failed');
      throw this.#options.unavailable(context, failure);
    }
  }

  /** One request and its whole answer within the deadline (`timeoutMs`, signing and connecting included). */
  async #exchange(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<{ statusCode: number; answer: string }> {
    const { timeoutMs } = this.#options;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceededError(timeoutMs)), timeoutMs);
    const observe = this.#timer(method);
    try {
      // A redirect is no answer of the contract: it fails the call rather than carrying the signed identity elsewhere.
      const response = await this.#fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal: deadline.signal, redirect: 'error' });
      const answer = await response.text();
      observe(String(response.status));
      return { statusCode: response.status, answer };
    } catch (error) {
      observe('error');
      throw deadline.signal.aborted ? deadline.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The callee's refusal as the contract's own error; anything outside the contract is `unavailable`. */
  #refusal(status: number, json: unknown, path: string, context: Readonly<Record<string, unknown>>): AppError {
    const parsed = errorAnswer.safeParse(json);
    const typed = parsed.success && status < 500 ? errorFromCode(parsed.data.error.code, parsed.data.error.message, parsed.data.error.details, this.#options.defaultField) : undefined;
    if (typed) return typed;
    // UNAUTHENTICATED / FORBIDDEN mean the two services disagree on the signing secret or the route's callers:
    // a deployment fault, not the client's.
    this.#logger[status >= 500 ? 'warn' : 'error']({ ...context, status, path, code: parsed.success ? parsed.data.error.code : undefined }, 'an internal API refused a call');
    return this.#options.unavailable(context);
  }
}

function splitBaseUrl(baseUrl: string): { readonly origin: string; readonly basePath: string } {
  const base = new URL(baseUrl);
  return { origin: base.origin, basePath: base.pathname.replace(/\/+$/, '') };
}
