import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { parseDoctorReport } from '../../helpers/doctorReport.js';
import { startRuntime, synthesizeExampleApp } from '../../helpers/localRuntimeHarness.js';

const CLI = fileURLToPath(new URL('../../../bin/sqs-failsafe.js', import.meta.url));

/**
 * `sqs-failsafe doctor --endpoint-url` against the example stack on the local runtime at 1x (the runtime
 * shortens visibility timeouts when it compresses time): the stack as the construct builds it has no error,
 * and a work queue changed by hand under it fails CI with the finding and its fix.
 */
describe('doctor on the local runtime', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    const assembly = await synthesizeExampleApp({ 'sqs-failsafe:functionTimeoutSeconds': '5' });
    runtime = await startRuntime(assembly, { timeScale: 1 });
  }, 180_000);

  afterAll(async () => {
    await runtime?.stop();
  });

  async function doctor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_LAMBDA: runtime.lambdaEndpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: runtime.cloudWatchEndpoint,
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [CLI, '--endpoint-url', runtime.endpoint, 'doctor', ...args],
        { env, timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('finds no error in the example stack', { timeout: 60_000 }, async () => {
    const { code, stdout } = await doctor('--json');
    expect(code, stdout).toBe(0);
    const report = parseDoctorReport(stdout);
    expect(report.summary).toMatchObject({ consumers: 1, errors: 0 });
    expect(report.consumers[0]?.unread).toEqual([]);
  });

  it('reports a work queue changed by hand, with the fix, and fails CI', { timeout: 60_000 }, async () => {
    // Arrange
    const queue = [...runtime.resources.queues.values()].find(
      (each) => !/dlq|dead|parking/i.test(each.name),
    ) as { name: string; url: string };
    await runtime.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: '1' } }),
    );

    // Act
    const text = await doctor('--queue', queue.name);
    const json = await doctor('--queue', queue.name, '--json');

    // Assess
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout).toMatch(
      new RegExp(
        `ERROR visibility-timeout-covers-invocations: ${queue.name} → \\S+\\n\\s+what: visibilityTimeout = 1 s: `,
      ),
    );
    expect(text.stdout).toMatch(
      /fix in AWS: aws sqs set-queue-attributes --queue-url \S+ --attributes VisibilityTimeout=30\b/,
    );
    expect(json.code).toBe(1);
    expect(parseDoctorReport(json.stdout).consumers[0]?.findings.map((finding) => finding.rule)).toContain(
      'visibility-timeout-covers-invocations',
    );
  });
});
