import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { failsafeConfigEnvironment } from '../../infra/consumer/failsafeConfigEnvironment.js';
import { CONFIG_ENV_VAR, configEnvironment, type FailsafeConfig } from '../../lib/config/failsafeConfig.js';

describe('failsafeConfigEnvironment', () => {
  it('writes the same key and value as the runtime’s configEnvironment when there is no token', () => {
    const stack = new Stack();
    const config: FailsafeConfig = {
      retry: { scheduleMs: [100, 200] },
      redeliveryBackoff: { scheduleSeconds: [10, 60] },
      deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxReceiveCount: 3 },
    };

    const written = failsafeConfigEnvironment(stack, config);

    expect(Object.keys(written)).toEqual([CONFIG_ENV_VAR]);
    expect(stack.resolve(written[CONFIG_ENV_VAR])).toBe(configEnvironment(config)[CONFIG_ENV_VAR]);
  });

  it('renders tokens as references, where JSON.stringify would write placeholders', () => {
    const stack = new Stack();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const config: FailsafeConfig = { deadLetter: { queueUrl: dlq.queueUrl } };

    const resolved = stack.resolve(failsafeConfigEnvironment(stack, config)[CONFIG_ENV_VAR]);

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
    expect(configEnvironment(config)[CONFIG_ENV_VAR]).toContain('${Token[');
  });
});
