import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntimeError } from '../../../local/localRuntime.js';
import { runDemo } from '../../../local/runDemo.js';
import { NO_FAULTS } from '../../../local/traffic/faultMix.js';
import { synthesizeExampleApp, synthesizeFixtureApp } from '../../helpers/localRuntimeHarness.js';

/** Bad input to `npm start`: each gives one clear line and a non-zero exit code, never a stack trace. */
const START = join(process.cwd(), 'local', 'start.ts');

function start(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    [join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs'), START, ...args],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const demo = (overrides: Partial<Parameters<typeof runDemo>[0]>) =>
  runDemo({
    projectDirectory: process.cwd(),
    synth: 'skip',
    messages: 10,
    faults: NO_FAULTS,
    seed: 1,
    timeScale: 60,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 30,
    keepRunning: false,
    verbose: false,
    interactive: false,
    write: () => {},
    ...overrides,
  });

describe('npm start with bad input', () => {
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(() => {
    busy.close();
  });

  it.each([
    [['--messages', '-5'], /--messages must be an integer from 1 to 1000000/],
    [['--time-scale', 'fast'], /--time-scale must be an integer from 1 to 3600/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--context', 'nokey'], /--context takes key=value/],
  ])(
    'rejects the flags %j in one line that points to --help (tried: the error, then 30 lines of help)',
    (args, message) => {
      const { code, stderr } = start(...args);
      expect(code).not.toBe(0);
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).toMatch(/ \(see npm start -- --help\)$/);
      expect(stderr).not.toMatch(/Usage:/);
    },
  );

  it('names an unknown fault and lists the known ones', () => {
    const { code, stderr } = start('--faults', 'gremlins=0.5', '--no-synth');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^npm start: Invalid --faults:\n {2}- "gremlins" is not a fault; known faults: transient/,
    );
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("shows the construct's own error when synthesis fails", () => {
    const { code, stderr } = start('--context', 'sqs-failsafe:batchSize=0', '--resynth', '--messages', '1');
    expect(code).toBe(1);
    expect(stderr).toMatch(/npm start: cdk synth failed \(exit code \d+\):/);
    expect(stderr).toMatch(/batchSize = 0: an integer from 1 to 10,?000/);
  });

  it('says when the port is taken', async () => {
    const assembly = await synthesizeExampleApp({});
    await expect(demo({ assemblyDirectory: assembly, port: busyPort })).rejects.toThrow(
      new LocalRuntimeError(
        `Port ${busyPort} is in use: stop what holds it, or pass --port 0 for a free port.`,
      ),
    );
  });

  it('says when the template has nothing to run', async () => {
    const fixture = synthesizeFixtureApp((stack) => {
      new sqs.Queue(stack, 'Lonely');
    });
    try {
      await expect(demo({ assemblyDirectory: fixture.assemblyDirectory })).rejects.toThrow(
        /^Nothing to run: the template has no Node.js Lambda function/,
      );
    } finally {
      fixture.cleanup();
    }
  });

  it('says when there is no assembly to run', async () => {
    await expect(demo({ assemblyDirectory: '/nonexistent/cdk.out' })).rejects.toThrow(
      /No cloud assembly at \/nonexistent\/cdk.out/,
    );
  });
});

describe('npm start', () => {
  it('runs the pipeline, prints each figure line once, and writes a run report it names at the end', () => {
    // Act
    const { code, stdout } = start('--messages', '30', '--faults', 'permanent=0.1');

    // Assess
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const progress = lines.filter((line) => / done: /.test(line));
    expect(new Set(progress).size).toBe(progress.length);
    // Two schedules: the breaker's probe, and the redrive function's, which looks again at a DLQ alarm that a
    // cooldown skipped (issue 14).
    expect(stdout).toMatch(
      /^ {2}2 queues, 1 topic, 3 functions, 1 event source mapping, 6 alarms, 2 schedules$/m,
    );
    expect(stdout).toMatch(/^ {2}invocations +\d+; \d+ timed out, \d+ throttled, \d+ failed as a whole/m);
    const report = /^Run report: (.+\.html) \(one HTML file, nothing loaded from the network\)$/m.exec(
      stdout,
    )?.[1];
    expect(lines.at(-1)).toMatch(/^Run report: /);
    expect(report !== undefined && existsSync(report)).toBe(true);
    expect(readFileSync(report as string, 'utf8')).toMatch(/^<!doctype html>/);
  });
});
