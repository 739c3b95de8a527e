import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { batchConfigEnvironment } from '../../infra/consumer/environment/batchConfigEnvironment.js';
import {
  BATCH_CONFIG_ENV_VAR,
  type BatchConfig,
  batchConfigEnvironment as runtimeBatchConfigEnvironment,
} from '../../lib/config/batchConfig.js';

describe('batchConfigEnvironment', () => {
  it('writes the same key and value as the runtime’s batchConfigEnvironment when there is no token', () => {
    const stack = new Stack();
    const config: BatchConfig = {
      retry: { scheduleMs: [100, 200] },
      redeliveryBackoff: { scheduleSeconds: [10, 60] },
      deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAttempts: 3 },
    };

    const written = batchConfigEnvironment(stack, config);

    expect(Object.keys(written)).toEqual([BATCH_CONFIG_ENV_VAR]);
    expect(stack.resolve(written[BATCH_CONFIG_ENV_VAR])).toBe(
      runtimeBatchConfigEnvironment(config)[BATCH_CONFIG_ENV_VAR],
    );
  });

  it('renders tokens as references, where JSON.stringify would write placeholders', () => {
    const stack = new Stack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const config: BatchConfig = { deadLetter: { queueUrl: dlq.queueUrl } };

    const resolved = stack.resolve(batchConfigEnvironment(stack, config)[BATCH_CONFIG_ENV_VAR]);

    expect(resolved).toEqual({
      'Fn::Join': [
        '',
        [
          '{"version":1,"deadLetter":{"queueUrl":"',
          { Ref: stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue) },
          '"}}',
        ],
      ],
    });
    expect(runtimeBatchConfigEnvironment(config)[BATCH_CONFIG_ENV_VAR]).toContain('${Token[');
  });
});
