import qs from 'qs';
import { invalidRequest, missingParam, unknownParam } from './errors';

export type ParamValue = string | ParamObject | ParamValue[];
export interface ParamObject {
  [key: string]: ParamValue | undefined;
}

/**
 * Stripe's v1 parameters are form-encoded with brackets for nesting (`metadata[orderId]=o_1`, `expand[0]=x`), the
 * encoding `qs` reads. Bounded so a hostile body cannot build deep or huge structures; objects have no prototype,
 * so `__proto__` is only a key.
 */
export function parseForm(text: string): ParamObject {
  try {
    return qs.parse(text, {
      depth: 4,
      strictDepth: true,
      parameterLimit: 1000,
      arrayLimit: 100,
      throwOnLimitExceeded: true,
      plainObjects: true,
      allowPrototypes: false,
    }) as ParamObject;
  } catch (error) {
    throw invalidRequest(`Invalid request: ${error instanceof Error ? error.message : 'the parameters could not be read'}.`);
  }
}

/** Stripe's limit for strings without a stricter one of their own. */
const MAX_STRING = 5000;
/** https://docs.stripe.com/metadata: 50 keys, keys up to 40 characters, values up to 500. */
const METADATA = { keys: 50, keyLength: 40, valueLength: 500 };

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** "a, b, or c", the way Stripe lists allowed values. */
export const listOf = (values: readonly string[]): string => (values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}`);

/**
 * Typed reads of one request's parameters, each failing with Stripe's own `invalid_request_error` naming the param.
 * An empty string means "not given", as in Stripe's form encoding (it is how a client unsets an optional field).
 */
export class Params {
  constructor(readonly raw: ParamObject) {}

  /** Refuses any top-level parameter the endpoint does not take, as Stripe does (`parameter_unknown`). */
  allowOnly(names: readonly string[]): this {
    for (const key of Object.keys(this.raw)) if (!names.includes(key)) throw unknownParam(key);
    return this;
  }

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== '';
  }

  string(name: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === '') {
      if (options.required) throw missingParam(name);
      return undefined;
    }
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${show(value)}`, { param: name });
    const max = options.maxLength ?? MAX_STRING;
    if (value.length > max) throw invalidRequest(`Invalid string: ${value.slice(0, 20)}...; must be at most ${max} characters`, { param: name });
    return value;
  }

  integer(name: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const text = this.string(name, { required: options.required });
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw invalidRequest(`Invalid integer: ${text}`, { code: 'parameter_invalid_integer', param: name });
    if (options.min !== undefined && value < options.min) {
      throw invalidRequest(`This value must be greater than or equal to ${options.min}.`, { code: 'parameter_invalid_integer', param: name });
    }
    if (options.max !== undefined && value > options.max) {
      throw invalidRequest(`This value must be less than or equal to ${options.max}.`, { code: 'parameter_invalid_integer', param: name });
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw invalidRequest(`Invalid boolean: ${text}`, { param: name });
    return text === 'true';
  }

  oneOf<const T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(values as readonly string[]).includes(text)) throw invalidRequest(`Invalid ${name}: must be one of ${listOf(values)}`, { param: name });
    return text as T;
  }

  /** A list given as `name[0]=a&name[1]=b` (or `name[]=a`); each entry a non-empty string. */
  list(name: string): string[] {
    const value = this.raw[name];
    if (value === undefined || value === '') return [];
    const entries = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : undefined;
    if (!entries || entries.some((entry) => typeof entry !== 'string' || entry === '')) throw invalidRequest(`Invalid array`, { param: name });
    return entries as string[];
  }

  /** `metadata[key]=value` pairs within Stripe's limits; an empty value means "no such key". */
  metadata(): Record<string, string> {
    const value = this.raw['metadata'];
    if (value === undefined || value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid object', { param: 'metadata' });
    const entries = Object.entries(value).filter(([, v]) => v !== '');
    if (entries.length > METADATA.keys) {
      throw invalidRequest(`Invalid metadata: metadata can have up to ${METADATA.keys} keys, but you passed in ${entries.length} keys.`, { param: 'metadata' });
    }
    const metadata: Record<string, string> = {};
    for (const [key, v] of entries) {
      const param = `metadata[${key}]`;
      if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${show(v)}`, { param });
      if (key.length > METADATA.keyLength) {
        throw invalidRequest(`Invalid metadata: metadata keys can be at most ${METADATA.keyLength} characters long, but you passed in a key that is ${key.length} characters long.`, { param });
      }
      if (v.length > METADATA.valueLength) {
        throw invalidRequest(`Invalid metadata: metadata values can be at most ${METADATA.valueLength} characters long, but you passed in a value that is ${v.length} characters long.`, { param });
      }
      metadata[key] = v;
    }
    return metadata;
  }

  /** The fields to expand, each one the endpoint can expand (Stripe refuses the rest). */
  expand<const T extends string>(expandable: readonly T[]): Set<T> {
    const fields = this.list('expand');
    for (const field of fields) {
      if (!(expandable as readonly string[]).includes(field)) throw invalidRequest(`This property cannot be expanded (${field}).`, { param: 'expand' });
    }
    return new Set(fields as T[]);
  }
}
