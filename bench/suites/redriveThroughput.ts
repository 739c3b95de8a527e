import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { redrive } from '../../lib/redrive/redriveEngine.js';
import { sleep } from '../../lib/time/sleep.js';
import { startLoopbackFauxqs } from '../../local/support/startLoopbackFauxqs.js';

/**
 * Redrive throughput on the embedded SQS server, three ways, in one process:
 * - ceiling: the server's own receive -> send -> delete limit, the minimal loop with batch calls (10 per
 *   call, attributes carried) and the same concurrency as ours, with no checks at all;
 * - naive: the same loops, one message per call (ReceiveMessage 1, SendMessage, DeleteMessage), as simple
 *   redrive scripts do;
 * - ours: `redrive()` with the manual strategy.
 * Then the same three with 10 ms added to every AWS call (an SDK middleware), which is closer to AWS,
 * where ours is set against the native move task's cap of 500 msg/s. Each figure is the median of three
 * runs after two warm-up rounds (naive: one run); every run is checked to have moved every message.
 */

/** One line of the closing summary; structurally the bench runner's SummaryLine. */
export interface SummaryLine {
  readonly label: string;
  readonly value: string;
  readonly met?: boolean;
}

export interface RedriveThroughputOptions {
  /** Messages redriven per measured run. @default 10000 */
  readonly messages?: number;
  /** Receive loops at once, for every variant. @default 10 */
  readonly concurrency?: number;
  /** Added to every AWS call in the second half. @default 10 */
  readonly latencyMs?: number;
}

type Variant = 'ceiling' | 'naive' | 'ours';
const VARIANTS: readonly Variant[] = ['ceiling', 'naive', 'ours'];
/** SQS's cap on a message move task (docs/aws-semantics.md#message-move-tasks). */
const NATIVE_CAP = 500;
const REGION = 'eu-west-1';
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/** A dead-lettered message as the runtime leaves it: a JSON body and failure metadata. */
const BODY = JSON.stringify({
  orderId: 'o-000000',
  customerId: 'c-000000',
  lines: [{ sku: 'A-1', qty: 2 }],
  note: 'x'.repeat(120),
});
const ATTRIBUTES = {
  tenant: { DataType: 'String', StringValue: 'acme' },
  'failsafe.errorClass': { DataType: 'String', StringValue: 'TimeoutError' },
};

export async function runRedriveThroughput(
  options: RedriveThroughputOptions = {},
): Promise<{ summary: SummaryLine[] }> {
  const messages = options.messages ?? 10_000;
  const concurrency = options.concurrency ?? 10;
  const latencyMs = options.latencyMs ?? 10;
  const server = await startLoopbackFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  try {
    console.log(
      `${messages.toLocaleString('en-US')} messages per run, ${concurrency} loops, fauxqs in this process\n`,
    );
    const fast = sqsClient(server, 0);
    // Warm-up: the first runs pay for JIT compilation (the server's code as much as the client's); rates
    // settle after some 40,000 messages here, so two full rounds are moved and thrown away.
    for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
      await measure(server, fast, 'ceiling', messages, concurrency);
      await measure(server, fast, 'ours', messages, concurrency);
    }
    await measure(server, fast, 'naive', 1_000, concurrency);
    const direct = await measureAll(server, fast, messages, concurrency);
    fast.destroy();
    printTable('No added latency', direct, false);

    const slow = sqsClient(server, latencyMs);
    const delayed = await measureAll(server, slow, messages, concurrency);
    slow.destroy();
    printTable(`${latencyMs} ms added to every AWS call`, delayed, true);

    const rate = (map: Map<Variant, Measured>, variant: Variant) => map.get(variant)?.median ?? 0;
    const ofCeiling = rate(direct, 'ours') / rate(direct, 'ceiling');
    const ofNaive = rate(direct, 'ours') / rate(direct, 'naive');
    return {
      summary: [
        { label: 'ours, no latency', value: `${format(rate(direct, 'ours'))} msg/s` },
        { label: 'ours / ceiling (target >= 80%)', value: percent(ofCeiling), met: ofCeiling >= 0.8 },
        { label: 'ours / naive (target >= 5x)', value: times(ofNaive), met: ofNaive >= 5 },
        {
          label: `ours, ${latencyMs} ms latency / native cap ${NATIVE_CAP} msg/s`,
          value: `${format(rate(delayed, 'ours'))} msg/s = ${times(rate(delayed, 'ours') / NATIVE_CAP)}`,
          met: rate(delayed, 'ours') > NATIVE_CAP,
        },
      ],
    };
  } finally {
    await server.stop();
  }
}

/** The benchmark suite, shaped as the bench runner expects (title + run). */
export const suite = {
  title: 'Redrive throughput (embedded SQS server)',
  run: () => runRedriveThroughput(),
};

function sqsClient(server: FauxqsServer, latencyMs: number): SQSClient {
  const client = new SQSClient({
    endpoint: server.address,
    region: REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
  if (latencyMs > 0) {
    client.middlewareStack.add(
      (next) => async (args) => {
        await sleep(latencyMs);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'simulatedLatency' },
    );
  }
  return client;
}

let runs = 0;

/**
 * Rates of the three variants: the median of three runs for the ceiling and ours (interleaved, so a slow
 * moment of the machine hits both), one run for naive (the slowest by far, so its noise moves the ratios
 * least).
 */
async function measureAll(
  server: FauxqsServer,
  sqs: SQSClient,
  count: number,
  concurrency: number,
): Promise<Map<Variant, Measured>> {
  const rates: Record<Variant, number[]> = { ceiling: [], naive: [], ours: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    rates.ceiling.push(await measure(server, sqs, 'ceiling', count, concurrency));
    rates.ours.push(await measure(server, sqs, 'ours', count, concurrency));
  }
  rates.naive.push(await measure(server, sqs, 'naive', count, concurrency));
  return new Map(
    VARIANTS.map((variant) => [variant, { median: median(rates[variant]), runs: rates[variant] }]),
  );
}

interface Measured {
  readonly median: number;
  readonly runs: readonly number[];
}

const ROUNDS = 3;
const WARM_UP_ROUNDS = 2;
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Moves `count` messages with one variant; returns msg/s, after checking that every message moved. */
async function measure(
  server: FauxqsServer,
  sqs: SQSClient,
  variant: Variant,
  count: number,
  concurrency: number,
): Promise<number> {
  runs += 1;
  const dlq = server.createQueue(`bench-dlq-${runs}`, { region: REGION });
  const source = server.createQueue(`bench-source-${runs}`, { region: REGION });
  for (let index = 0; index < count; index += 1) {
    server.sendMessage(dlq.queueName, BODY, { messageAttributes: ATTRIBUTES, region: REGION });
  }
  const started = performance.now();
  if (variant === 'ours') {
    const report = await redrive({
      dlq: dlq.queueUrl,
      source: source.queueUrl,
      strategy: 'manual',
      concurrency,
      maxMessages: count,
      logger: SILENT,
      aws: { sqs },
    });
    if (report.moved !== count) throw new Error(`ours moved ${report.moved} of ${count}`);
  } else {
    await loops(
      concurrency,
      count,
      variant === 'ceiling'
        ? batchLoop(sqs, dlq.queueUrl, source.queueUrl)
        : singleLoop(sqs, dlq.queueUrl, source.queueUrl),
    );
  }
  const seconds = (performance.now() - started) / 1_000;
  const left = server.inspectQueue(dlq.queueName)?.messages;
  const arrived = server.inspectQueue(source.queueName)?.messages.ready.length ?? 0;
  const remaining = (left?.ready.length ?? 0) + (left?.inflight.length ?? 0);
  if (arrived !== count || remaining !== 0) {
    throw new Error(`${variant}: ${arrived} of ${count} messages arrived, ${remaining} left in the DLQ`);
  }
  server.deleteQueue(dlq.queueName, { region: REGION });
  server.deleteQueue(source.queueName, { region: REGION });
  return count / seconds;
}

/** Runs `concurrency` copies of a step until `count` messages moved; a step returns how many it moved. */
async function loops(concurrency: number, count: number, step: () => Promise<number>): Promise<void> {
  let moved = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (moved < count) {
        const done = await step();
        if (done === 0) return;
        moved += done;
      }
    }),
  );
}

function batchLoop(sqs: SQSClient, dlqUrl: string, sourceUrl: string) {
  return async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return 0;
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: Messages.map((message: Message, index) => ({
          Id: `m${index}`,
          MessageBody: message.Body,
          MessageAttributes: message.MessageAttributes,
        })),
      }),
    );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: Messages.map((message, index) => ({
          Id: `m${index}`,
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    return Messages.length;
  };
}

function singleLoop(sqs: SQSClient, dlqUrl: string, sourceUrl: string) {
  return async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'] }),
    );
    const [message] = Messages;
    if (message === undefined) return 0;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: sourceUrl,
        MessageBody: message.Body,
        MessageAttributes: message.MessageAttributes,
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }));
    return 1;
  };
}

function printTable(title: string, rates: Map<Variant, Measured>, againstNative: boolean): void {
  const ceiling = rates.get('ceiling')?.median ?? 0;
  const naive = rates.get('naive')?.median ?? 0;
  const header = [
    'variant',
    'msg/s',
    'vs ceiling',
    'vs naive',
    ...(againstNative ? [`vs native ${NATIVE_CAP}/s`] : []),
    'runs (msg/s)',
  ];
  const rows = VARIANTS.map((variant) => {
    const { median: rate = 0, runs: each = [] } = rates.get(variant) ?? {};
    return [
      variant,
      format(rate),
      percent(rate / ceiling),
      times(rate / naive),
      ...(againstNative ? [times(rate / NATIVE_CAP)] : []),
      each.map(format).join(' / '),
    ];
  });
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 || column === cells.length - 1
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  console.log(title);
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
  console.log('');
}

const format = (rate: number) => Math.round(rate).toLocaleString('en-US');
const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;
