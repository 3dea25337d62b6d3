import { BadRequestError } from '../../lib/ddd';
import { readBody } from '../../lib/http/read-body';
import type { HttpStep } from './exchange';
import { sendError } from './send-error';

/**
 * The body of a POST, read up to `limitBytes` (gateway/limits/query-limits.ts requestSizeLimit: larger is refused
 * with 413 before any JSON parsing, which for a body of many small keys costs more than every check after it) and
 * parsed when it is JSON. Other content types leave the body empty for Apollo Server to refuse. A body that is not a
 * GraphQL request at all is Apollo Server's BAD_REQUEST.
 */
export function readBodyStep(limitBytes: number): HttpStep {
  return async (exchange) => {
    const { req, res } = exchange;
    if (req.method !== 'POST') return false;
    const read = await readBody(req, limitBytes);
    if (read.kind === 'too-large') {
      sendError(res, new BadRequestError(`the request body is larger than ${limitBytes} bytes`), 413);
      return true;
    }
    if (read.kind === 'failed') {
      sendError(res, new BadRequestError('the request body could not be read'));
      return true;
    }
    if (!isJson(req.headers['content-type']) || read.bytes.length === 0) return false;
    try {
      exchange.body = JSON.parse(read.bytes.toString('utf8'));
    } catch {
      sendError(res, new BadRequestError('the request body is not valid JSON'));
      return true;
    }
    return false;
  };
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(graphql-response\+)?json\b/i.test(contentType.trim());
}
