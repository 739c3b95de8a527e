import { spawnSync } from 'node:child_process';
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
  ])('rejects the flags %j with usage', (args, message) => {
    const { code, stderr } = start(...args);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: npm start --/);
  });

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
