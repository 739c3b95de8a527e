import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import {
  type PeekResult,
  type QueueStats,
  REDRIVE_COUNT_ATTRIBUTE,
  type RedriveReport,
} from '../../../lib/redrive/index.js';
import { type LocalAws, startLocalAws } from '../../helpers/localAws.js';
import { readAll, seed } from '../../helpers/queueMessages.js';

const CLI = fileURLToPath(new URL('../../../cli/index.ts', import.meta.url));

let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws();
});
afterAll(async () => {
  await server.stop();
});

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI from source as a user would, with the endpoint and credentials in the environment. */
async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      {
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const failure = (errorClass: string) => ({
  [FAILURE_ATTRIBUTES.errorClass]: { DataType: 'String', StringValue: errorClass },
  [FAILURE_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: 'upstream timed out' },
  [FAILURE_ATTRIBUTES.reason]: { DataType: 'String', StringValue: 'max-receives-reached' },
});

describe('sqs-failsafe CLI', () => {
  it('redrive --dry-run --filter --json reports without moving; then redrive --max moves', async () => {
    const dlq = await server.createQueue('cli-dlq');
    const source = await server.createQueue('cli-source');
    await seed(server.sqs, dlq.url, [
      ...Array.from({ length: 6 }, (_, n) => ({
        body: JSON.stringify({ n }),
        attributes: failure('TimeoutError'),
      })),
      ...Array.from({ length: 4 }, (_, n) => ({
        body: JSON.stringify({ n }),
        attributes: failure('ValidationError'),
      })),
    ]);

    const dry = await cli(
      'redrive',
      dlq.name,
      '--source',
      source.name,
      '--dry-run',
      '--filter',
      'errorClass=TimeoutError',
      '--json',
    );
    expect(dry.code).toBe(0);
    const dryReport = JSON.parse(dry.stdout) as RedriveReport;
    expect(dryReport).toMatchObject({ dryRun: true, moved: 6, skippedByFilter: 4 });
    expect(await readAll(server.sqs, source.url)).toEqual([]);

    const real = await cli(
      'redrive',
      dlq.url,
      '--source',
      source.url,
      '--max',
      '3',
      '--rate',
      '100',
      '--json',
    );
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ moved: 3, stopReason: 'max-messages' });
    expect((await readAll(server.sqs, source.url)).length).toBe(3);
  });

  it('redrive prints a readable summary without --json', async () => {
    const dlq = await server.createQueue('cli-dlq');
    const source = await server.createQueue('cli-source');
    await seed(server.sqs, dlq.url, [{ body: '{}' }]);
    const result = await cli('redrive', dlq.name, '--source', source.name);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Redrive of .*cli-dlq/);
    expect(result.stdout).toMatch(/moved\s+1/);
  });

  it('peek shows failure metadata and leaves the messages in the DLQ', async () => {
    const dlq = await server.createQueue('cli-dlq');
    await seed(server.sqs, dlq.url, [
      {
        body: '{"order":1}',
        attributes: {
          ...failure('TimeoutError'),
          [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '2' },
        },
      },
    ]);
    const json = await cli('peek', dlq.name, '--json');
    expect(json.code).toBe(0);
    const peeked = JSON.parse(json.stdout) as PeekResult;
    expect(peeked.messages).toEqual([
      expect.objectContaining({
        body: '{"order":1}',
        redriveCount: 2,
        failure: expect.objectContaining({ errorClass: 'TimeoutError', reason: 'max-receives-reached' }),
      }),
    ]);
    const human = await cli('peek', dlq.name);
    expect(human.stdout).toMatch(/TimeoutError: upstream timed out/);
    expect((await readAll(server.sqs, dlq.url)).length).toBe(1);
  });

  it('stats shows depths, the oldest age and redrive counts', async () => {
    const dlq = await server.createQueue('cli-dlq');
    await seed(server.sqs, dlq.url, [
      { body: 'a', attributes: { [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '1' } } },
      { body: 'b' },
    ]);
    const result = await cli('stats', dlq.name, '--json');
    expect(result.code).toBe(0);
    const [stats] = JSON.parse(result.stdout) as QueueStats[];
    expect(stats).toMatchObject({
      name: dlq.name,
      visible: 2,
      sample: { size: 2, redriveCounts: { 0: 1, 1: 1 } },
    });
    expect(stats?.sample?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    const human = await cli('stats', dlq.name);
    expect(human.stdout).toMatch(/visible 2, in flight 0, delayed 0/);
    expect(human.stdout).toMatch(/redrive counts: .*1: 1/);
  });

  it('errors are one line on stderr with a non-zero exit code', async () => {
    const missing = await cli('redrive', 'no-such-dlq');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([
      'sqs-failsafe: The DLQ no-such-dlq does not exist (or this identity cannot see it); nothing was moved.',
    ]);

    const badFilter = await cli('redrive', 'x', '--filter', 'colour=red');
    expect(badFilter.code).toBe(1);
    expect(badFilter.stderr.trim().split('\n')).toHaveLength(1);
    expect(badFilter.stderr).toMatch(/unknown filter/);

    const usage = await cli('redrive', 'x', '--max', 'lots');
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toEqual([
      "error: option '--max <n>' argument 'lots' is invalid. must be a whole number from 1 to 1000000000.",
    ]);
  });

  it('stats --by-cause lists the causes with their ids, and peek --cause shows only that cause', async () => {
    const dlq = await server.createQueue('cli-dlq');
    const failed = (errorClass: string, errorMessage: string) => ({
      ...failure(errorClass),
      [FAILURE_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: errorMessage },
    });
    await seed(server.sqs, dlq.url, [
      ...[1, 2, 3].map((n) => ({ body: `late-${n}`, attributes: failed('TimeoutError', `took ${n}000 ms`) })),
      { body: 'bad-1', attributes: failed('ValidationError', 'total: expected a number, got "x"') },
    ]);
    const timeout = failureFingerprint({
      errorClass: 'TimeoutError',
      reason: 'max-receives-reached',
      errorMessage: 'took 1 ms',
    });

    const stats = await cli('stats', dlq.name, '--by-cause');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain(`${timeout.id}       3  TimeoutError: took <n> ms`);
    expect(stats.stdout).toMatch(/[\da-f]{8} {7}1 {2}ValidationError: total: expected a number, got <value>/);

    const peeked = await cli('peek', dlq.name, '--cause', timeout.id, '--json');
    const { messages } = JSON.parse(peeked.stdout) as PeekResult;
    expect(messages.map((message) => message.body).sort()).toEqual(['late-1', 'late-2', 'late-3']);
    expect(messages[0]?.cause).toEqual({ id: timeout.id, label: 'TimeoutError: took <n> ms' });
    expect((await cli('peek', dlq.name, '--cause', timeout.id)).stdout).toContain(
      `cause ${timeout.id}: TimeoutError: took <n> ms`,
    );
  });
});
