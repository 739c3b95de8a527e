import { exec } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { keepRunningBlock, runDemo } from '../../../local/runDemo.js';
import { parseFaultMix } from '../../../local/traffic/faultMix.js';
import { parseDoctorReport } from '../../helpers/doctorReport.js';
import { demoOptions } from '../../helpers/localRuntimeHarness.js';

/**
 * `npm start -- --keep-running` ends with a block to paste into another shell. Tried as printed before:
 * only `export AWS_ENDPOINT_URL=...`, after which the CLI failed with `Region is missing`, then with
 * `CredentialsProviderError`. Here each printed command is run as pasted, in a shell with nothing else
 * set up (no AWS variables, no profiles, an empty npm cache), against the running pipeline.
 */
describe('npm start --keep-running', () => {
  let runtime: LocalRuntime | undefined;
  let block: string[];
  let home: string;

  beforeAll(async () => {
    const result = await runDemo(
      demoOptions({
        assemblyDirectory: '.local-runtime/test-keep-running',
        messages: 40,
        faults: parseFaultMix('permanent=0.1'),
        seed: 5,
        keepRunning: true,
      }),
    );
    runtime = result.runtime;
    block = keepRunningBlock(runtime as LocalRuntime, 'us-east-1');
    home = mkdtempSync(join(tmpdir(), 'sqs-failsafe-shell-'));
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** The lines to paste: the export, then one command each. */
  const pasted = () => block.map((line) => line.trim()).filter((line) => /^(export|npx) /.test(line));

  /** Runs a pasted command after the pasted export, in a shell that knows nothing else. */
  async function paste(command: string) {
    return (await pasteForExit(command)).stdout;
  }

  async function pasteForExit(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const [exportLine] = pasted();
    try {
      const { stdout, stderr } = await promisify(exec)(`${exportLine}\n${command}`, {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout: string; stderr: string };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('prints the endpoints, region and credentials to export, and one command each for peek, stats, a dry-run redrive and doctor', () => {
    const lines = pasted();
    expect(lines[0]).toMatch(
      /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_ENDPOINT_URL_LAMBDA=http:\/\/127\.0\.0\.1:\d+ AWS_ENDPOINT_URL_CLOUDWATCH=http:\/\/127\.0\.0\.1:\d+ AWS_ENDPOINT_URL_EVENTBRIDGE=http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(lines.slice(1).map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx sqs-failsafe peek',
      'npx sqs-failsafe stats',
      'npx sqs-failsafe redrive',
      'npx sqs-failsafe doctor',
    ]);
  });

  it('peek, as pasted, shows the dead letters', { timeout: 90_000 }, async () => {
    const output = await paste(pasted()[1] as string);
    expect(output).toMatch(/about \d+ messages?; showing [1-9]/);
    expect(output).toMatch(/PermanentError/);
  });

  it('stats, as pasted, shows both queues', { timeout: 90_000 }, async () => {
    const output = await paste(pasted()[2] as string);
    expect(output).toMatch(/visible \d+, in flight \d+, delayed \d+/);
    expect(output.split('\n\n')).toHaveLength(2);
  });

  it('redrive --dry-run, as pasted, says what would move and moves nothing', {
    timeout: 90_000,
  }, async () => {
    const dlq = (pasted()[3] as string).split(' ')[3] as string;
    const depth = () => {
      const state = runtime?.server.inspectQueue(dlq);
      return (state?.messages.ready.length ?? 0) + (state?.messages.inflight.length ?? 0);
    };
    const before = depth();
    const output = await paste(pasted()[3] as string);
    expect(before).toBeGreaterThan(0);
    expect(depth()).toBe(before);
    expect(output).toMatch(/^Dry run of /);
    expect(output).toMatch(/would move +[1-9]/);
  });

  it('doctor, as pasted, reads the running pipeline and prints its JSON report for CI', {
    timeout: 90_000,
  }, async () => {
    // Act (--fail-on never: at 60x the runtime shortens visibility timeouts below 6 × the function timeout, which
    // doctor rightly reports; test/integration/localRuntime/doctor.test.ts checks the stack at 1x)
    const { code, stdout } = await pasteForExit(`${pasted()[4]} --json --fail-on never`);

    // Assess
    expect(code, stdout).toBe(0);
    const report = parseDoctorReport(stdout);
    expect(report.summary.consumers).toBe(1);
    expect(report.consumers[0]?.unread).toEqual([]);
  });
});
