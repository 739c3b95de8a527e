import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunJson } from '../../../cli/support/redriveJson.js';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import { type PeekResult, type QueueStats, REDRIVE_COUNT_ATTRIBUTE } from '../../../lib/redrive/index.js';
import { type LocalAws, redrivesTo, startLocalAws } from '../../helpers/localAws.js';
import { readAll, seed } from '../../helpers/queueMessages.js';

/** The command as npx runs it in a checkout: the launcher, which runs the TypeScript source. */
const CLI = fileURLToPath(new URL('../../../bin/sqs-failsafe.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

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

/** Runs the CLI as a user would, with the endpoint and credentials in the environment. */
function cli(...args: string[]): Promise<CliResult> {
  return cliWith({ ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' }, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env,
      cwd: ROOT,
    });
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
    const source = await server.createQueue('cli-source', redrivesTo(dlq));
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
    const dryReport = JSON.parse(dry.stdout) as DryRunJson;
    expect(dryReport).toMatchObject({ dryRun: true, wouldMove: 6, skippedByFilter: 4 });
    expect(dryReport).not.toHaveProperty('moved');
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
    const source = await server.createQueue('cli-source', redrivesTo(dlq));
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
      "error: option '--max <n>' argument 'lots' is invalid. must be a whole number from 1 to 1000000000. " +
        '(see sqs-failsafe redrive --help)',
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

  it('redrive leaves in the DLQ a message whose metadata names a queue that does not send its failures there', async () => {
    // Prepare: issue 14 tried this, and the CLI delivered the message to the unrelated queue
    const dlq = await server.createQueue('cli-dlq');
    const unrelated = await server.createQueue('cli-unrelated');
    await seed(server.sqs, dlq.url, [
      {
        body: '{"forged":true}',
        attributes: {
          ...failure('TimeoutError'),
          [FAILURE_ATTRIBUTES.sourceQueueArn]: { DataType: 'String', StringValue: unrelated.arn },
        },
      },
    ]);

    // Act
    const result = await cli('redrive', dlq.url, '--strategy', 'manual');

    // Assess: reported, not followed
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /not sent to .*cli-unrelated.*: 1 \(its redrive policy does not name this DLQ/,
    );
    expect(await readAll(server.sqs, unrelated.url)).toEqual([]);
    // Looked at without receiving it, which would hide it from the runs below.
    expect(server.bodiesIn(dlq) ?? ['{"forged":true}']).toEqual(['{"forged":true}']);

    // An operator who wants it there names the queue and confirms.
    const refused = await cli('redrive', dlq.url, '--source', unrelated.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^sqs-failsafe: Not sent: the redrive policy of .*cli-unrelated.* --confirm-unpaired-source/,
    );
    const confirmed = await cli(
      'redrive',
      dlq.url,
      '--source',
      unrelated.url,
      '--confirm-unpaired-source',
      '--json',
    );
    expect(confirmed.code).toBe(0);
    expect(confirmed.stderr).toMatch(/warning: Redriving to .*cli-unrelated.* as confirmed/);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ moved: 1 });
    expect(await readAll(server.sqs, unrelated.url)).toHaveLength(1);
  });

  it('signs nothing for a queue URL on another host: no key id or signature reaches a plain-http listener', async () => {
    // Prepare: a listener that records what it is sent; issue 14 found the operator's signed request there
    const received: string[] = [];
    const listener = createServer((request, response) => {
      received.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
      response.writeHead(400).end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDLEAKCHECK',
      AWS_SECRET_ACCESS_KEY: 'secret',
    };
    delete env.AWS_ENDPOINT_URL;
    try {
      // Act
      const result = await cliWith(env, 'stats', `http://127.0.0.1:${port}/111122223333/orders-dlq`);

      // Assess
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /which is not the SQS endpoint of a region .* name it with --endpoint-url/,
      );
      expect(received).toEqual([]);
    } finally {
      listener.close();
    }
  });
});

describe('sqs-failsafe CLI errors name what to change', () => {
  const temporary: string[] = [];
  afterAll(() => {
    for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
  });

  /** A machine with no AWS set-up: no region, no credentials, no profiles, no instance metadata. */
  const bare = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const home = mkdtempSync(join(tmpdir(), 'sqs-failsafe-home-'));
    temporary.push(home);
    return {
      PATH: process.env.PATH,
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...extra,
    };
  };
  const oneLineOf = (result: CliResult) => {
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  it('without a region: names --region and AWS_REGION (tried: "Region is missing")', async () => {
    expect(oneLineOf(await cliWith(bare(), 'stats', 'orders'))).toBe(
      'sqs-failsafe: No AWS region: pass --region <region> (for example --region eu-west-1) or set AWS_REGION.',
    );
  });

  it('without credentials: names the variables, and says any values do against a local endpoint', async () => {
    const line = oneLineOf(
      await cliWith(
        bare(),
        '--region',
        'eu-west-1',
        '--endpoint-url',
        server.endpoint ?? '',
        'stats',
        'orders',
      ),
    );
    expect(line).toMatch(
      /^sqs-failsafe: No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    expect(line).toContain(
      '(--endpoint-url) any values do, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local.',
    );
  });

  it('with an unknown profile: names it and the flag (tried: CredentialsProviderError without the name)', async () => {
    expect(
      oneLineOf(await cliWith(bare(), '--region', 'eu-west-1', '--profile', 'nope', 'stats', 'orders')),
    ).toMatch(
      /^sqs-failsafe: No AWS credentials from the profile 'nope' \(--profile\): it is not in ~\/\.aws\/config or ~\/\.aws\/credentials.* Pass --profile with one/,
    );
  });

  it('with an endpoint that is not a URL: names the flag or the variable (tried: TypeError: Invalid URL)', async () => {
    const flag = await cliWith(
      bare(),
      '--endpoint-url',
      'notaurl',
      '--region',
      'eu-west-1',
      'stats',
      'orders',
    );
    expect(flag.code).toBe(2);
    expect(oneLineOf(flag)).toBe(
      "error: option '--endpoint-url <url>' argument 'notaurl' is invalid. must be a URL such as " +
        'http://localhost:4566. (see sqs-failsafe --help)',
    );
    const variable = await cliWith(
      bare({ AWS_ENDPOINT_URL: 'notaurl', AWS_REGION: 'eu-west-1' }),
      'stats',
      'orders',
    );
    expect(oneLineOf(variable)).toMatch(
      /^sqs-failsafe: AWS_ENDPOINT_URL is 'notaurl', which is not a URL: set it to/,
    );
  });

  it('when nothing answers at the endpoint: names it and where it came from', async () => {
    const environment = bare({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
    const result = await cliWith(
      { ...environment, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
      'stats',
      'orders',
    );
    expect(oneLineOf(result)).toMatch(
      /^sqs-failsafe: Nothing answers at http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL\)/,
    );
  });

  it('with an unknown command: lists the commands (tried: "too many arguments")', async () => {
    const result = await cliWith(bare(), 'drain', 'orders-dlq');
    expect(result.code).toBe(2);
    expect(oneLineOf(result)).toBe(
      "error: unknown command 'drain'; the commands are redrive, peek, stats, console, doctor. (see sqs-failsafe --help)",
    );
  });

  it('in flag names, not the library option names (tried: "parkingQueue: needs maxRedrivesPerMessage")', async () => {
    expect(oneLineOf(await cli('redrive', 'orders-dlq', '--parking-queue', 'orders-parked'))).toMatch(
      /^sqs-failsafe: --parking-queue: needs --max-redrives \(only capped messages are parked/,
    );
    const dlq = await server.createQueue('cli-dlq');
    const source = await server.createQueue('cli-source', redrivesTo(dlq));
    await seed(server.sqs, dlq.url, [{ body: '{}' }]);
    const dry = await cli('redrive', dlq.name, '--source', source.name, '--dry-run', '--max-redrives', '3');
    expect(dry.stdout).toMatch(
      /strategy +manual \(the run needs a dry run, a redrive cap \(--max-redrives\)\)/,
    );
    expect(dry.stdout).toMatch(/would move +1/);
    expect(dry.stdout).not.toMatch(/maxRedrivesPerMessage|\bmoved\b/);
  });

  it('npx sqs-failsafe runs in a checkout right after npm ci, with nothing built', async () => {
    // The launcher runs the TypeScript source whenever it is there, built or not. A fresh npm cache, as on
    // a new machine: npx links the project into its cache once, and a link made when dist/ existed would
    // hide the problem (tried: "sh: 1: sqs-failsafe: not found" until a build had happened).
    const cache = mkdtempSync(join(tmpdir(), 'sqs-failsafe-npx-cache-'));
    temporary.push(cache);
    const { stdout } = await promisify(execFile)('npx', ['sqs-failsafe', '--version'], {
      cwd: ROOT,
      env: { ...process.env, npm_config_cache: cache },
    });
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });
});
