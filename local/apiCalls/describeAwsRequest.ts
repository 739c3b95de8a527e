import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ApiRequest } from './apiCallCounter.js';

/**
 * Names an AWS API request from what arrives on the wire, whatever the protocol the SDK speaks for the
 * service: the service from the SigV4 credential scope, the operation from `X-Amz-Target` (JSON
 * protocols: SQS, DynamoDB, CloudWatch), the `Action` form field (query protocol: SNS), a Smithy RPC v2 path
 * (`/service/<name>/operation/<op>`), or the method and path of a REST call (Lambda).
 */
export function describeAwsRequest(
  request: Pick<IncomingMessage, 'headers' | 'method' | 'url'>,
  body: Buffer = Buffer.alloc(0),
): ApiRequest {
  const { headers } = request;
  const service = signingService(headers) ?? 'unknown';
  const text = body.toString('utf8');
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    return {
      service,
      action: target.slice(target.lastIndexOf('.') + 1),
      entries: jsonEntries(text),
      bytes: body.length,
    };
  }
  const path = new URL(request.url ?? '/', 'http://local').pathname;
  const rpc = /^\/service\/[^/]+\/operation\/([^/]+)$/.exec(path);
  if (rpc !== null) return { service, action: rpc[1] as string, entries: 1, bytes: body.length };
  const form = formAction(headers, text);
  if (form !== undefined) return { service, ...form, bytes: body.length };
  return { service, action: restAction(request.method ?? 'GET', path), entries: 1, bytes: body.length };
}

/** `Credential=<key>/<date>/<region>/<service>/aws4_request` in the Authorization header. */
function signingService(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(
    String(headers.authorization ?? ''),
  )?.[1];
}

/** Entries of a JSON batch request: SQS `Entries`, DynamoDB `RequestItems` / `TransactItems`. */
function jsonEntries(text: string): number {
  if (text === '') return 1;
  let parsed: { Entries?: unknown[]; RequestItems?: Record<string, unknown>; TransactItems?: unknown[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    return 1;
  }
  if (Array.isArray(parsed.Entries)) return parsed.Entries.length;
  if (Array.isArray(parsed.TransactItems)) return parsed.TransactItems.length;
  if (parsed.RequestItems !== undefined && typeof parsed.RequestItems === 'object') {
    // BatchWriteItem: { table: [requests] }; BatchGetItem: { table: { Keys: [keys] } }.
    return Object.values(parsed.RequestItems).reduce<number>((sum, requests) => {
      if (Array.isArray(requests)) return sum + requests.length;
      const keys = (requests as { Keys?: unknown[] }).Keys;
      return sum + (Array.isArray(keys) ? keys.length : 1);
    }, 0);
  }
  return 1;
}

/** Query protocol: `Action=PublishBatch&...PublishBatchRequestEntries.member.N.Id=...`. */
function formAction(
  headers: IncomingHttpHeaders,
  text: string,
): { action: string; entries: number } | undefined {
  if (!String(headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return undefined;
  const form = new URLSearchParams(text);
  const action = form.get('Action');
  if (action === null) return undefined;
  const entries = [...form.keys()].filter((key) => /\.member\.\d+\.Id$/.test(key)).length;
  return { action, entries: Math.max(1, entries) };
}

/** The Lambda API's REST operations the local runtime serves, by method and path with the ids left out. */
const REST_OPERATIONS: Readonly<Record<string, string>> = {
  'POST /2015-03-31/functions/{}/invocations': 'Invoke',
  'GET /2015-03-31/event-source-mappings': 'ListEventSourceMappings',
  'GET /2015-03-31/event-source-mappings/{}': 'GetEventSourceMapping',
  'PUT /2015-03-31/event-source-mappings/{}': 'UpdateEventSourceMapping',
};

/** A REST call's operation name, or its method and path shape when it is not one of those above. */
function restAction(method: string, path: string): string {
  const segments = path.replace(/\/$/, '').split('/');
  const shape = segments.map((segment, index) => (index === 3 ? '{}' : segment)).join('/');
  const key = `${method} ${shape}`;
  return REST_OPERATIONS[key] ?? key;
}
