import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ApiCallCounter } from '../apiCalls/apiCallCounter.js';
import { describeAwsRequest } from '../apiCalls/describeAwsRequest.js';
import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';

/** Failure rates the proxy injects into the functions' AWS calls, each 0..1. */
export interface AwsFaultRates {
  /** SQS batch calls (ChangeMessageVisibility, SendMessage, DeleteMessage batches) answered with throttling. */
  readonly sqsThrottle: number;
  /** SNS publishes answered with a server error. */
  readonly snsPublishFailure: number;
  /** SQS and SNS answering slowly, or not at all. @default every call answered as fast as the server can */
  readonly slowAws?: SlowAws;
}

/** The functions' SQS and SNS calls answered late, or never (what a slow or stuck AWS looks like). */
export interface SlowAws {
  /** Only these actions (`SendMessageBatch`, `PublishBatch`, ...). @default every SQS and SNS call */
  readonly actions?: readonly string[];
  /**
   * Each call is passed on at once and its answer held back for a time drawn evenly from [min, max] ms:
   * the service acted, the caller hears of it late.
   */
  readonly delayMs: readonly [number, number];
  /**
   * Share of calls (0..1) that never get an answer and are never passed on, like a connection gone
   * silent: only the caller's own timeout ends them.
   */
  readonly hangRate: number;
}

export interface AwsFaultCounts {
  sqsThrottled: number;
  snsFailed: number;
  /** Calls answered late, and calls never answered. */
  slowed: number;
  hung: number;
}

/** No injected failures: a proxy that only counts, delays and compresses. */
export const NO_AWS_FAULTS: AwsFaultRates = { sqsThrottle: 0, snsPublishFailure: 0 };

export interface AwsProxyOptions {
  /** Counts every request the proxy receives (as the functions' calls), injected failures included. */
  readonly counter?: ApiCallCounter | undefined;
  /** Added to every request before it is forwarded, as the round trip to a service in a region costs. */
  readonly latencyMs?: number | undefined;
}

/**
 * Sits between the functions and an embedded server. It forwards every call, except that it fails a share
 * of them the way AWS does when overloaded (SQS throttling, SNS server errors), so the runtime's AWS-call
 * layer is exercised under load; it can answer slowly or not at all (`slowAws`), in real time, so the
 * deadline of the calls after the handler meets a real slow endpoint; and it compresses the redelivery
 * delays functions set (ChangeMessageVisibility, and the DelaySeconds of redelivery copies) by the
 * runtime's time scale, so a 15-minute backoff takes seconds locally. Optionally it counts every request
 * and adds a fixed latency to each.
 */
export class AwsFaultProxy extends LocalHttpServer {
  readonly counts: AwsFaultCounts = { sqsThrottled: 0, snsFailed: 0, slowed: 0, hung: 0 };

  constructor(
    private readonly upstream: URL,
    private readonly rates: AwsFaultRates,
    private readonly timeScale: number,
    private readonly random: () => number = Math.random,
    private readonly options: AwsProxyOptions = {},
  ) {
    super(
      (request, response) => this.#handle(request, response),
      (response) => response.writeHead(502).end(),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = await readRequestBody(request);
    this.options.counter?.record('functions', describeAwsRequest(request, body));
    if (this.options.latencyMs !== undefined && this.options.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const sqsAction = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
    const snsAction =
      sqsAction === undefined ? new URLSearchParams(body.toString('utf8')).get('Action') : null;

    const slow = this.#slowness(sqsAction ?? snsAction ?? undefined);
    if (slow === 'hang') {
      // Never passed on, never answered: the connection stays open until the caller gives up.
      this.counts.hung += 1;
      return;
    }
    if (sqsAction?.endsWith('Batch') && this.random() < this.rates.sqsThrottle) {
      this.counts.sqsThrottled += 1;
      response
        .writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': 'RequestThrottled;Sender',
        })
        .end(
          JSON.stringify({
            __type: 'com.amazonaws.sqs#RequestThrottled',
            message: 'Rate exceeded (injected)',
          }),
        );
      return;
    }
    if (
      (snsAction === 'Publish' || snsAction === 'PublishBatch') &&
      this.random() < this.rates.snsPublishFailure
    ) {
      this.counts.snsFailed += 1;
      response
        .writeHead(500, { 'content-type': 'text/xml' })
        .end(
          '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>injected failure</Message></Error><RequestId>local</RequestId></ErrorResponse>',
        );
      return;
    }
    if (sqsAction === 'ChangeMessageVisibility' || sqsAction === 'ChangeMessageVisibilityBatch') {
      body = Buffer.from(
        JSON.stringify(compressWaits(JSON.parse(body.toString('utf8')), 'VisibilityTimeout', this.timeScale)),
      );
    }
    // A redelivery copy's delay is a wait like a visibility timeout, and is compressed the same way.
    if (sqsAction === 'SendMessage' || sqsAction === 'SendMessageBatch') {
      body = Buffer.from(
        JSON.stringify(compressWaits(JSON.parse(body.toString('utf8')), 'DelaySeconds', this.timeScale)),
      );
    }
    await this.#forward(request, body, response, slow ?? 0);
  }

  /** How this call is slowed: `hang`, a delay in ms, or undefined for not at all. */
  #slowness(action: string | undefined): 'hang' | number | undefined {
    const slowAws = this.rates.slowAws;
    if (slowAws === undefined || action === undefined) return undefined;
    if (slowAws.actions !== undefined && !slowAws.actions.includes(action)) return undefined;
    if (this.random() < slowAws.hangRate) return 'hang';
    const [min, max] = slowAws.delayMs;
    this.counts.slowed += 1;
    return min + this.random() * (max - min);
  }

  #forward(request: IncomingMessage, body: Buffer, response: ServerResponse, delayMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, host: this.upstream.host, 'content-length': String(body.length) };
      const upstream = httpRequest(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method: request.method,
          path: request.url,
          headers,
        },
        (reply) => {
          const answer = () => {
            // The caller may have given up meanwhile; its answer then has nowhere to go.
            if (response.destroyed) {
              reply.resume();
              resolve();
              return;
            }
            response.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(response);
            reply.on('end', resolve);
          };
          if (delayMs > 0) setTimeout(answer, delayMs);
          else answer();
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

type WaitField = 'VisibilityTimeout' | 'DelaySeconds';
type WaitRequest = Partial<Record<WaitField, number>> & { Entries?: Partial<Record<WaitField, number>>[] };

/** The request with `field` (on the request and on each batch entry) divided by the time scale. */
function compressWaits(input: WaitRequest, field: WaitField, timeScale: number): WaitRequest {
  const scale = (seconds: number | undefined) =>
    seconds === undefined ? seconds : Math.ceil(seconds / timeScale);
  return {
    ...input,
    ...(input[field] === undefined ? {} : { [field]: scale(input[field]) }),
    ...(input.Entries === undefined
      ? {}
      : { Entries: input.Entries.map((entry) => ({ ...entry, [field]: scale(entry[field]) })) }),
  };
}
