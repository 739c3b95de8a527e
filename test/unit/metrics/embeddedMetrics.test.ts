import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { METRICS_NAMESPACE } from '../../../lib/metrics/metricNames.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

function captureStdout() {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  return lines;
}

describe('metrics (Embedded Metric Format)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('writes one EMF line per invocation with the outcome counts, by queue', async () => {
    const lines = captureStdout();
    const processor = createBatchProcessor(
      (message: unknown) => {
        const { outcome } = message as { outcome: string };
        if (outcome === 'permanent') throw new PermanentError('no');
        if (outcome === 'transient') throw new Error('later');
      },
      { retry: false, metrics: true, configFromEnvironment: false },
    );
    await processor(
      eventOf(
        ['ok', 'ok', 'transient', 'permanent'].map((outcome) =>
          sqsRecord({ body: JSON.stringify({ outcome }) }),
        ),
      ),
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['QueueName']],
        Metrics: expect.arrayContaining([{ Name: 'MessagesSucceeded', Unit: 'Count' }]),
      },
    ]);
    expect(line).toMatchObject({
      QueueName: 'orders',
      MessagesSucceeded: 2,
      MessagesFailed: 2,
      TransientFailures: 1,
    });
  });

  it('is on inside Lambda and off elsewhere by default', async () => {
    const lines = captureStdout();
    await createBatchProcessor(() => 'ok', { configFromEnvironment: false })(eventOf([sqsRecord()]));
    expect(lines).toHaveLength(0);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'worker');
    await createBatchProcessor(() => 'ok', { configFromEnvironment: false })(eventOf([sqsRecord()]));
    expect(lines).toHaveLength(1);
  });
});
