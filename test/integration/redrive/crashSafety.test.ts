import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redrive } from '../../../lib/redrive/index.js';
import { sleep } from '../../../lib/time/sleep.js';
import { type LocalAws, type LocalQueue, startLocalAws } from '../../helpers/localAws.js';
import { consumeAll, readAll, seed } from '../../helpers/queueMessages.js';

/**
 * The engine's promise: a crash at any point may duplicate a message, never lose it. Each round runs a
 * redrive in a child process and kills it (SIGKILL: no cleanup, no finally) at a random moment, then
 * checks that the two queues together still hold every message.
 */
const CHILD = fileURLToPath(new URL('./crashChild.ts', import.meta.url));
const VISIBILITY_SECONDS = 2;

let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws();
});
afterAll(async () => {
  await server.stop();
});

interface Kill {
  readonly interrupted: boolean;
}

/** Starts a redrive child, waits until it is loaded, lets it work for a random time, kills it. */
async function runAndKill(from: LocalQueue, to: LocalQueue, rate: number, maxDelayMs: number): Promise<Kill> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, CRASH_DLQ: from.url, CRASH_SOURCE: to.url, CRASH_RATE: String(rate) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  while (!output.includes('ready') && child.exitCode === null) await sleep(5);
  await sleep(Math.floor(Math.random() * maxDelayMs));
  const interrupted = !output.includes('done');
  child.kill('SIGKILL');
  await exited;
  return { interrupted };
}

const visible = async (queue: LocalQueue) => {
  const { Attributes } = await server.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};

/**
 * Every expected message is in one of the queues, visible or in flight. Only the embedded server can look
 * at in-flight messages without touching them; against another endpoint the check runs once at the end.
 */
function expectNoneMissing(queues: readonly LocalQueue[], expected: readonly string[]): void {
  const held = queues.map((queue) => server.bodiesIn(queue));
  if (held.some((bodies) => bodies === undefined)) return;
  const present = new Set(held.flat());
  expect(expected.filter((body) => !present.has(body))).toEqual([]);
}

describe('crash safety: a redrive killed at any point loses nothing', () => {
  it('standard queues: 20 runs killed mid-way while messages move back and forth, every message kept, duplicates counted', async () => {
    const a = await server.createQueue('crash-a');
    const b = await server.createQueue('crash-b');
    const expected = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n }));
    await seed(
      server.sqs,
      a.url,
      expected.map((body) => ({ body })),
    );

    // Kill until 20 runs were interrupted mid-way (a run can finish before its kill lands on a fast machine).
    let interrupted = 0;
    for (let round = 0; round < 60 && interrupted < 20; round += 1) {
      // Always move the fuller queue into the other, so every kill lands on a run with work to do.
      const [from, to] = (await visible(a)) >= (await visible(b)) ? [a, b] : [b, a];
      const kill = await runAndKill(from, to, 600, 400);
      if (kill.interrupted) interrupted += 1;
      expectNoneMissing([a, b], expected);
    }
    expect(interrupted).toBeGreaterThanOrEqual(20);

    // Let what the killed runs held come back, then gather everything in one queue.
    await sleep(VISIBILITY_SECONDS * 1_000 + 500);
    await redrive({
      dlq: b.url,
      source: a.url,
      confirmUnpairedSource: true,
      receiveWaitSeconds: 0,
      logger: silent,
    });
    const all = (await readAll(server.sqs, a.url)).map((message) => message.body);
    const unique = new Set(all);
    expect(expected.filter((body) => !unique.has(body))).toEqual([]);
    const duplicates = all.length - unique.size;
    console.info(
      `crash safety (standard): ${interrupted} runs killed mid-way, 0 lost, ${duplicates} duplicate(s)`,
    );
  });

  it('FIFO: 10 runs killed mid-way, every message kept, no duplicate (deduplication ids) and every group in order', async () => {
    const dlq = await server.createQueue('crash-dlq.fifo');
    const source = await server.createQueue('crash-source.fifo');
    const messages = Array.from({ length: 200 }, (_, n) => ({
      body: JSON.stringify({ group: `g${n % 40}`, step: Math.floor(n / 40) }),
      groupId: `g${n % 40}`,
    }));
    await seed(server.sqs, dlq.url, messages);
    const expected = messages.map((message) => message.body);

    let interrupted = 0;
    for (let round = 0; round < 36 && interrupted < 10; round += 1) {
      const kill = await runAndKill(dlq, source, 40, 700);
      if (kill.interrupted) interrupted += 1;
      expectNoneMissing([dlq, source], expected);
    }
    expect(interrupted).toBeGreaterThanOrEqual(10);

    await sleep(VISIBILITY_SECONDS * 1_000 + 500);
    const final = await redrive({
      dlq: dlq.url,
      source: source.url,
      confirmUnpairedSource: true,
      receiveWaitSeconds: 1,
      logger: silent,
    });
    expect(final.stopReason).toBe('drained');
    const moved = await consumeAll(server.sqs, source.url);
    expect(moved.map((message) => message.body).sort()).toEqual([...expected].sort());
    for (let group = 0; group < 40; group += 1) {
      const steps = moved
        .filter((message) => message.system.MessageGroupId === `g${group}`)
        .map((message) => (JSON.parse(message.body) as { step: number }).step);
      expect(steps).toEqual([0, 1, 2, 3, 4]);
    }
  });
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };
