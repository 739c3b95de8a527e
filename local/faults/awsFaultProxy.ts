import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';

/** Failure rates the proxy injects into the functions' AWS calls, each 0..1. */
export interface AwsFaultRates {
  /** SQS batch calls (ChangeMessageVisibility, SendMessage, DeleteMessage batches) answered with throttling. */
  readonly sqsThrottle: number;
  /** SNS publishes answered with a server error. */
  readonly snsPublishFailure: number;
}

export interface AwsFaultCounts {
  sqsThrottled: number;
  snsFailed: number;
}

/**
 * Sits between the functions and the embedded server. It forwards every call, except that it fails a share
 * of them the way AWS does when overloaded (SQS throttling, SNS server errors), so the runtime's AWS-call
 * layer is exercised under load; and it compresses the redelivery delays functions set
 * (ChangeMessageVisibility) by the runtime's time scale, so a 15-minute backoff takes seconds locally.
 */
export class AwsFaultProxy extends LocalHttpServer {
  readonly counts: AwsFaultCounts = { sqsThrottled: 0, snsFailed: 0 };

  constructor(
    private readonly upstream: URL,
    private readonly rates: AwsFaultRates,
    private readonly timeScale: number,
    private readonly random: () => number = Math.random,
  ) {
    super(
      (request, response) => this.#handle(request, response),
      (response) => response.writeHead(502).end(),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = await readRequestBody(request);
    const target = String(request.headers['x-amz-target'] ?? '');
    const sqsAction = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
    const snsAction =
      sqsAction === undefined ? new URLSearchParams(body.toString('utf8')).get('Action') : null;

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
        JSON.stringify(compressVisibility(JSON.parse(body.toString('utf8')), this.timeScale)),
      );
    }
    await this.#forward(request, body, response);
  }

  #forward(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
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
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
          reply.on('end', resolve);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

type VisibilityRequest = { VisibilityTimeout?: number; Entries?: { VisibilityTimeout?: number }[] };

function compressVisibility(input: VisibilityRequest, timeScale: number): VisibilityRequest {
  const scale = (seconds: number | undefined) =>
    seconds === undefined ? seconds : Math.ceil(seconds / timeScale);
  return {
    ...input,
    ...(input.VisibilityTimeout === undefined ? {} : { VisibilityTimeout: scale(input.VisibilityTimeout) }),
    ...(input.Entries === undefined
      ? {}
      : {
          Entries: input.Entries.map((entry) => ({
            ...entry,
            VisibilityTimeout: scale(entry.VisibilityTimeout),
          })),
        }),
  };
}
