import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { describeAwsRequest } from '../apiCalls/describeAwsRequest.js';
import { LocalHttpServer, readRequestBody } from './localHttpServer.js';

/** An answer of an AWS JSON API: the HTTP status and the JSON body (`{ __type, message }` for an error). */
export interface AwsJsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A local stand-in for an AWS API of the JSON protocol (CloudWatch's JSON 1.0, EventBridge's JSON 1.1): the
 * SDK names the action in X-Amz-Target (`<Service>.<Action>`) and sends its input as JSON. Each request is
 * counted as an AWS call; `answer` gives the reply, and a throw becomes the service's internal error.
 */
export abstract class AwsJsonApiServer extends LocalHttpServer {
  constructor(
    /** `application/x-amz-json-1.0` or `-1.1`, as the service's SDK expects. */
    contentType: string,
    internalErrorType: string,
    counter?: ApiCallCounter,
  ) {
    const reply = (response: ServerResponse, { status, body }: AwsJsonAnswer) =>
      response.writeHead(status, { 'content-type': contentType }).end(JSON.stringify(body));
    super(
      async (request: IncomingMessage, response: ServerResponse) => {
        const action = String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1);
        const raw = await readRequestBody(request);
        counter?.record('functions', describeAwsRequest(request, raw));
        const input = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
        reply(response, this.answer(String(action), input));
      },
      (response, error) =>
        reply(response, { status: 500, body: { __type: internalErrorType, message: error.message } }),
    );
  }

  protected abstract answer(action: string, input: Record<string, unknown>): AwsJsonAnswer;
}

/** The answer to an action the stand-in does not serve. */
export function notEmulated(action: string): AwsJsonAnswer {
  return { status: 400, body: { __type: 'InvalidAction', message: `${action} is not emulated locally` } };
}
