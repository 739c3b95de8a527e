import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import type { ActionJob } from '../../cli/console/consoleApi.js';
import { type ConsumerDefinition, groupConsumers } from '../../cli/console/consumers/consumerInventory.js';
import { type RunningConsole, startConsole } from '../../cli/console/startConsole.js';
import { failureFingerprint } from '../../lib/deadLetter/failureFingerprint.js';
import { redrive } from '../../lib/redrive/redriveEngine.js';
import { startLoopbackFauxqs } from '../../local/support/startLoopbackFauxqs.js';
import type { Suite, SummaryLine } from '../suite.js';

/**
 * The operator console on the embedded SQS server, with a DLQ of 10,000 dead letters of 5 causes:
 * - page load to groups shown: a real headless Chromium opens the triage page of a fresh console (so the
 *   DLQ is read for this load) and waits for the 5 groups; the median of 3 loads after one warm-up load
 *   (target: 5 s at most);
 * - redrive rate: one cause (2,000 of the 10,000) redriven from the console (its API, as the page does:
 *   dry run, then the run, followed until done) and by the engine as the CLI calls it, alternately, the
 *   DLQ refilled to 10,000 before each; messages per second of each, median of 3, and the console's as a
 *   share of the engine's (target: 80% at least).
 */
const REGION = 'eu-west-1';
const CAUSES = 5;
const PER_CAUSE = 2_000;
const RUNS = 3;
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

const CAUSE_MESSAGES = [
  (n: number) => `total: expected a number > 0, got "${-n}"`,
  (n: number) => `order ord-${n} not found`,
  (n: number) => `inventory timed out after ${n} ms`,
  () => 'payments is unavailable (breaker open)',
  (n: number) => `Unexpected token } in JSON at position ${n}`,
];
const ERROR_CLASSES = ['ValidationError', 'NotFoundError', 'TimeoutError', 'DependencyError', 'SyntaxError'];

export const suite: Suite = {
  title: 'Operator console (embedded SQS server, 10,000 dead letters)',
  run: () => runConsoleTriage(),
};

export async function runConsoleTriage(): Promise<{ summary: SummaryLine[] }> {
  const server = await startLoopbackFauxqs({ port: 0, logger: false, defaultRegion: REGION });
  const sqs = new SQSClient({
    endpoint: server.address,
    region: REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
  const browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  try {
    const { consumer, sourceArn } = await queues(sqs);
    for (let cause = 0; cause < CAUSES; cause += 1)
      await seedCause(sqs, consumer, sourceArn, cause, PER_CAUSE);
    console.log(
      `${(CAUSES * PER_CAUSE).toLocaleString('en-US')} dead letters, ${CAUSES} causes, fauxqs in this process\n`,
    );

    const loads: number[] = [];
    // One load first, not counted: it bundles the page and warms up the JIT (server and client alike).
    for (let run = -1; run < RUNS; run += 1) {
      const running = await open(sqs, consumer);
      const page = await browser.newPage();
      const started = Date.now();
      await page.goto(`${running.url}#/dlq/${encodeURIComponent(consumer.id)}`, { waitUntil: 'load' });
      await page.waitForFunction(`document.querySelectorAll('[data-testid="group"]').length === ${CAUSES}`, {
        timeout: 60_000,
      });
      const elapsed = Date.now() - started;
      await page.close();
      await running.close();
      if (run < 0) continue;
      loads.push(elapsed);
      console.log(`page load to ${CAUSES} groups shown: ${elapsed} ms`);
    }

    const cause = failureFingerprint({
      errorClass: ERROR_CLASSES[2] as string,
      reason: 'permanent-error',
      errorMessage: (CAUSE_MESSAGES[2] as (n: number) => string)(1),
    }).id;
    const viaConsole: number[] = [];
    const viaEngine: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      for (const via of run % 2 === 0 ? (['console', 'engine'] as const) : (['engine', 'console'] as const)) {
        const depth = await visible(sqs, consumer.dlqUrl as string);
        if (depth < CAUSES * PER_CAUSE)
          await seedCause(sqs, consumer, sourceArn, 2, CAUSES * PER_CAUSE - depth);
        const rate =
          via === 'console'
            ? await consoleRate(sqs, consumer, cause)
            : await engineRate(sqs, consumer, cause);
        (via === 'console' ? viaConsole : viaEngine).push(rate);
        console.log(`redrive of one cause (${PER_CAUSE}) via ${via}: ${Math.round(rate)} msg/s`);
      }
    }
    const load = median(loads);
    const consoleMedian = median(viaConsole);
    const engineMedian = median(viaEngine);
    const share = consoleMedian / engineMedian;
    return {
      summary: [
        {
          label: 'page load to groups shown, 10,000 dead letters (target <= 5 s)',
          value: `${(load / 1_000).toFixed(2)} s`,
          met: load <= 5_000,
        },
        { label: 'redrive of one cause from the console', value: `${Math.round(consoleMedian)} msg/s` },
        {
          label: 'redrive of the same cause by the engine (as the CLI)',
          value: `${Math.round(engineMedian)} msg/s`,
        },
        {
          label: 'console / engine rate (target >= 80%)',
          value: `${Math.round(share * 100)}%`,
          met: share >= 0.8,
        },
      ],
    };
  } finally {
    await browser.close();
    sqs.destroy();
    await server.stop();
  }
}

async function queues(sqs: SQSClient): Promise<{ consumer: ConsumerDefinition; sourceArn: string }> {
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
  };
  const dlq = await create('bench-console-dlq');
  const source = await create('bench-console-orders', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 10 }),
  });
  const [consumer] = groupConsumers({
    queues: [
      { url: dlq.url, arn: dlq.arn },
      { url: source.url, arn: source.arn, deadLetterTargetArn: dlq.arn, named: true },
    ],
    mappings: [],
    redriveFunctions: [],
    alarms: [],
    problems: [],
  });
  return { consumer: consumer as ConsumerDefinition, sourceArn: source.arn };
}

async function seedCause(
  sqs: SQSClient,
  consumer: ConsumerDefinition,
  sourceArn: string,
  cause: number,
  count: number,
): Promise<void> {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  const sends: Promise<unknown>[] = [];
  for (let start = 0; start < count; start += 10) {
    sends.push(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: consumer.dlqUrl,
          Entries: Array.from({ length: Math.min(10, count - start) }, (_, index) => ({
            Id: `m${index}`,
            MessageBody: JSON.stringify({ orderId: `o-${start + index}`, lines: [{ sku: 'A-1', qty: 2 }] }),
            MessageAttributes: {
              'failsafe.errorClass': text(ERROR_CLASSES[cause] as string),
              'failsafe.errorMessage': text((CAUSE_MESSAGES[cause] as (n: number) => string)(start + index)),
              'failsafe.reason': text('permanent-error'),
              'failsafe.sourceQueueArn': text(sourceArn),
              'failsafe.deadLetteredAt': text(new Date().toISOString()),
            },
          })),
        }),
      ),
    );
    if (sends.length >= 20) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
}

function open(sqs: SQSClient, consumer: ConsumerDefinition): Promise<RunningConsole> {
  return startConsole({
    consumers: [consumer],
    aws: { sqs },
    logger: SILENT,
    scan: { receiveWaitSeconds: 0 },
    receiveWaitSeconds: 0,
  });
}

/** As the page does it: a dry run, then the run naming it, followed until done. */
async function consoleRate(sqs: SQSClient, consumer: ConsumerDefinition, cause: string): Promise<number> {
  const running = await open(sqs, consumer);
  try {
    const post = async (body: object) => {
      const response = await fetch(`${running.origin}/api/actions`, {
        method: 'POST',
        headers: {
          'x-console-token': running.token,
          'content-type': 'application/json',
          origin: running.origin,
        },
        body: JSON.stringify({
          consumerId: consumer.id,
          operation: 'redrive',
          selection: { fingerprint: cause },
          ...body,
        }),
      });
      return follow(running, (await response.json()) as ActionJob);
    };
    const preview = await post({ dryRun: true });
    const started = Date.now();
    const job = await post({ dryRun: false, previewJobId: preview.id });
    const elapsed = Date.now() - started;
    if (job.counts.moved !== PER_CAUSE)
      throw new Error(`the console moved ${job.counts.moved}, not ${PER_CAUSE}`);
    return (job.counts.moved / elapsed) * 1_000;
  } finally {
    await running.close();
  }
}

async function engineRate(sqs: SQSClient, consumer: ConsumerDefinition, cause: string): Promise<number> {
  const started = Date.now();
  const report = await redrive({
    dlq: consumer.dlqUrl as string,
    filter: { fingerprint: cause },
    receiveWaitSeconds: 0,
    logger: SILENT,
    aws: { sqs },
  });
  const elapsed = Date.now() - started;
  if (report.moved !== PER_CAUSE) throw new Error(`the engine moved ${report.moved}, not ${PER_CAUSE}`);
  return (report.moved / elapsed) * 1_000;
}

async function follow(running: RunningConsole, job: ActionJob): Promise<ActionJob> {
  let current = job;
  while (current.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${running.origin}/api/jobs/${current.id}`, {
      headers: { 'x-console-token': running.token },
    });
    current = (await response.json()) as ActionJob;
  }
  if (current.state === 'failed') throw new Error(`the console's action failed: ${current.error}`);
  return current;
}

async function visible(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
