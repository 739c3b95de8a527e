import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
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
    return doctorWith({}, ...args);
  }

  /** doctor with the environment changed: a variable given as undefined is left out. */
  async function doctorWith(
    changes: Record<string, string | undefined>,
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_LAMBDA: runtime.lambdaEndpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: runtime.cloudWatchEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: runtime.eventBridgeEndpoint,
      ...changes,
    };
    for (const [name, value] of Object.entries(env))
      if (value === undefined) delete env[name as keyof typeof env];
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
    // The redrive function's schedule is read from the runtime's EventBridge API.
    expect(report.consumers[0]?.findings.map((finding) => finding.rule)).not.toContain(
      'skipped-dead-letter-alarm-looked-at-again',
    );
  });

  it('says which variables to set when only --endpoint-url is given (every service would go to the SQS server)', {
    timeout: 60_000,
  }, async () => {
    const { code, stdout, stderr } = await doctorWith({
      AWS_ENDPOINT_URL_LAMBDA: undefined,
      AWS_ENDPOINT_URL_CLOUDWATCH: undefined,
    });
    expect(code, stdout).toBe(1);
    expect(stderr).toMatch(
      /AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CLOUDWATCH and AWS_ENDPOINT_URL_EVENTBRIDGE/,
    );
    expect(stderr).toContain(`${runtime.endpoint} (--endpoint-url)`);
    expect(stderr).not.toMatch(/SyntaxError|Deserialization/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says --stack needs CloudFormation, which the local runtime does not serve', {
    timeout: 60_000,
  }, async () => {
    const { code, stderr } = await doctorWith(
      { AWS_ENDPOINT_URL_LAMBDA: undefined },
      '--stack',
      'SqsFailsafeExample',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^sqs-failsafe: could not list the resources of the stack SqsFailsafeExample \(--stack; cloudformation:ListStackResources\): .*Give --queue or --function instead/,
    );
  });

  it('reports a work queue changed by hand, with the fix, and fails CI', { timeout: 60_000 }, async () => {
    // Arrange, act
    const { queue, text, json } = await withWorkQueue({ VisibilityTimeout: '1' }, async (queue) => ({
      queue,
      text: await doctor('--queue', queue.name),
      json: await doctor('--queue', queue.name, '--json'),
    }));

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

  const errors = (findings: readonly { rule: string; severity: string }[] = []) =>
    findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule);

  /** The work queue with attributes changed by hand for one test, restored after it. */
  async function withWorkQueue<T>(
    attributes: Record<string, string>,
    run: (queue: { name: string; url: string }) => Promise<T>,
  ): Promise<T> {
    const queue = [...runtime.resources.queues.values()].find(
      (each) => !/dlq|dead|parking/i.test(each.name),
    ) as { name: string; url: string };
    const { Attributes: before = {} } = await runtime.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: Object.keys(attributes) as never,
      }),
    );
    await runtime.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: attributes }));
    try {
      return await run(queue);
    } finally {
      await runtime.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: before }));
    }
  }

  // The example's retry horizon at 5 s timeouts: waits 10 + 60 + 300 + 900 s, 4 crashes × 30 s, 9 receives × 5 s.
  it.each([
    [
      "the retry horizon read from the consumer's SQS_FAILSAFE_CONFIG",
      '1200',
      {
        rule: 'retention-outlasts-retry-horizon',
        prop: 'retentionPeriod',
        problem: expect.stringContaining('T_total = 23 min 55 s'),
        awsFix: expect.stringMatching(/--attributes MessageRetentionPeriod=1436$/),
      },
    ],
    // Longer than the horizon, shorter than a 300 s cooldown + 300 s probe + the horizon.
    [
      "the breaker controller found among the alarms' actions, by its SQS_FAILSAFE_BREAKER_CONFIG",
      '1800',
      {
        rule: 'breaker-pause-within-retention',
        prop: 'circuitBreaker.cooldown',
        value: '5 min (300 s)',
        awsFix: expect.stringMatching(
          /MessageRetentionPeriod=2036, or shorten coolDownSeconds in SQS_FAILSAFE_BREAKER_CONFIG of the breaker controller \S+$/,
        ),
      },
    ],
  ])(
    'judges %s against a retention cut by hand (%s s)',
    { timeout: 60_000 },
    async (_what, retention, finding) => {
      const json = await withWorkQueue({ MessageRetentionPeriod: retention }, (queue) =>
        doctor('--queue', queue.name, '--json'),
      );
      expect(json.code).toBe(1);
      const [consumer] = parseDoctorReport(json.stdout).consumers;
      // Beside the example's one warning (its alarms page nobody until alarmEmails are given).
      expect(errors(consumer?.findings)).toEqual([finding.rule]);
      expect(consumer?.findings.find((each) => each.severity === 'error')).toMatchObject({
        severity: 'error',
        ...finding,
      });
    },
  );
});
