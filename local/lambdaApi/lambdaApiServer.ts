import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { describeAwsRequest } from '../apiCalls/describeAwsRequest.js';
import type { LocalEventSourceMapping } from '../eventSourceMapping/localEventSourceMapping.js';
import { invokeAsync } from '../lambda/invokeAsync.js';
import type { LocalFunction } from '../lambda/localFunction.js';
import { functionArn } from '../provision/localNames.js';
import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';
import { readMappingUpdate } from './mappingUpdate.js';

/**
 * The slice of the Lambda API the product's functions call, served locally so that their SDK calls act
 * on the emulated resources: Invoke (a function continuing its own work, RequestResponse or Event) and
 * Get/List/UpdateEventSourceMapping (the circuit breaker pausing and resuming consumption, and the
 * mapping changes doctor's fixes make; a change it cannot apply is refused), and
 * GetFunctionConfiguration and GetFunctionConcurrency (what `sqs-failsafe doctor --endpoint-url` reads).
 * Functions find it through AWS_ENDPOINT_URL_LAMBDA.
 */
export class LambdaApiServer extends LocalHttpServer {
  constructor(
    private readonly functions: ReadonlyMap<string, LocalFunction>,
    private readonly mappings: readonly LocalEventSourceMapping[],
    private readonly region: string,
    private readonly timeScale: number,
    /** Counts each request as one of the functions' AWS calls. */
    private readonly counter?: ApiCallCounter,
  ) {
    super(
      (request, response) => this.#handle(request, response),
      (response, error) =>
        reply(response, 500, { Type: 'Service', Message: error.message }, 'ServiceException'),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const raw = await readRequestBody(request);
    this.counter?.record('functions', describeAwsRequest(request, raw));
    const body = raw.toString('utf8');
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (invoke !== null && request.method === 'POST') {
      return this.#invoke(decodeURIComponent(invoke[1] as string), body, request, response);
    }
    const read = /^\/(2015-03-31|2019-09-30)\/functions\/([^/]+)\/(configuration|concurrency)$/.exec(
      url.pathname,
    );
    if (read !== null && request.method === 'GET') {
      return this.#describeFunction(decodeURIComponent(read[2] as string), read[3] as string, response);
    }
    const mappingId = /^\/2015-03-31\/event-source-mappings\/([^/]+)$/.exec(url.pathname)?.[1];
    if (mappingId !== undefined) {
      const mapping = this.mappings.find(
        (candidate) => candidate.spec.uuid === decodeURIComponent(mappingId),
      );
      if (mapping === undefined) return notFound(response, `Event source mapping ${mappingId} not found`);
      if (request.method === 'PUT') {
        const read = readMappingUpdate(body, mapping.spec);
        if ('problems' in read) {
          return reply(
            response,
            400,
            { Type: 'User', message: read.problems.join('; ') },
            'InvalidParameterValueException',
          );
        }
        mapping.update(read.change);
        return reply(response, 202, this.#describe(mapping));
      }
      return reply(response, 200, this.#describe(mapping));
    }
    if (url.pathname === '/2015-03-31/event-source-mappings' && request.method === 'GET') {
      const functionName = url.searchParams.get('FunctionName');
      const sourceArn = url.searchParams.get('EventSourceArn');
      const listed = this.mappings.filter(
        (mapping) =>
          (functionName === null ||
            [mapping.spec.functionName, functionArn(this.region, mapping.spec.functionName)].includes(
              functionName,
            )) &&
          (sourceArn === null || mapping.spec.queue.arn === sourceArn),
      );
      return reply(response, 200, { EventSourceMappings: listed.map((mapping) => this.#describe(mapping)) });
    }
    return notFound(response, `${request.method} ${url.pathname} is not emulated locally`);
  }

  #describeFunction(name: string, part: string, response: ServerResponse) {
    const fn = this.functions.get(name.includes(':') ? (name.split(':')[6] ?? name) : name);
    if (fn === undefined) return notFound(response, `Function not found: ${name}`);
    const { spec } = fn;
    if (part === 'concurrency') {
      return reply(
        response,
        200,
        spec.reservedConcurrency === undefined
          ? {}
          : { ReservedConcurrentExecutions: spec.reservedConcurrency },
      );
    }
    return reply(response, 200, {
      FunctionName: spec.name,
      FunctionArn: spec.arn,
      Runtime: spec.runtime,
      Handler: spec.handler,
      Timeout: spec.timeoutSeconds,
      MemorySize: spec.memoryMb,
      Environment: { Variables: spec.environment },
    });
  }

  async #invoke(
    name: string,
    body: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const fn = this.functions.get(name.includes(':') ? (name.split(':')[6] ?? name) : name);
    if (fn === undefined) return notFound(response, `Function not found: ${name}`);
    const event = body === '' ? {} : JSON.parse(body);
    if (request.headers['x-amz-invocation-type'] === 'Event') {
      void invokeAsync(fn, event, { timeScale: this.timeScale });
      response.writeHead(202).end();
      return;
    }
    const outcome = await fn.invoke(event);
    if (outcome.status === 'throttled')
      return reply(response, 429, { Type: 'User', message: 'Rate Exceeded.' }, 'TooManyRequestsException');
    if (outcome.status === 'ok') return reply(response, 200, outcome.result);
    const error =
      outcome.status === 'timeout'
        ? { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' }
        : { errorType: outcome.error.name, errorMessage: outcome.error.message };
    response
      .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
      .end(JSON.stringify(error));
  }

  #describe(mapping: LocalEventSourceMapping) {
    const { spec } = mapping;
    return {
      UUID: spec.uuid,
      BatchSize: spec.batchSize,
      MaximumBatchingWindowInSeconds: spec.batchingWindowSeconds,
      EventSourceArn: spec.queue.arn,
      FunctionArn: functionArn(this.region, spec.functionName),
      // In compressed time, like every wait here: a change 5 real seconds ago at 60x reads as 5 minutes
      // ago, so the breaker's cool-down, which the controller measures from LastModified, passes 60x faster.
      LastModified: compressedPast(mapping.lastModified, this.timeScale) / 1_000,
      State: mapping.enabled ? 'Enabled' : 'Disabled',
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: spec.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
      ScalingConfig: { MaximumConcurrency: mapping.concurrency },
    };
  }
}

/** A past instant as it reads when time runs `timeScale` times faster: further back by that factor. */
function compressedPast(at: number, timeScale: number, now = Date.now()): number {
  return now - (now - at) * timeScale;
}

function reply(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response
    .writeHead(status, {
      'content-type': 'application/json',
      ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    })
    .end(JSON.stringify(body ?? null));
}

function notFound(response: ServerResponse, message: string): void {
  reply(response, 404, { Type: 'User', Message: message }, 'ResourceNotFoundException');
}
