import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDRIVE_CONFIG_ENV_VAR, redriveConfigEnvironment } from '../../../lib/redrive/index.js';

async function loadRedriveFunction(environment: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  return (await import('../../../functions/redrive/handler.js')).handler;
}

describe('redrive function wiring', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads its configuration from SQS_FAILSAFE_REDRIVE_CONFIG at cold start', async () => {
    const handler = await loadRedriveFunction(
      redriveConfigEnvironment({
        dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq',
        sourceQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders',
      }),
    );
    expect(typeof handler).toBe('function');
    await expect(handler({ unknown: true })).rejects.toThrowError(/Unknown redrive trigger/);
  });

  it('fails the cold start on a bad configuration, listing every problem', async () => {
    const loading = loadRedriveFunction({
      [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({ dlqUrl: 'nope', ratePerSecond: 0 }),
    });
    // A fresh module graph (resetModules) has its own error classes: compare by name.
    await expect(loading).rejects.toMatchObject({ name: 'InvalidOptionsError' });
    await expect(
      loadRedriveFunction({ [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({ dlqUrl: 'nope', ratePerSecond: 0 }) }),
    ).rejects.toThrowError(
      /dlqUrl: must be an SQS queue URL[\s\S]*sourceQueueUrl: is required[\s\S]*ratePerSecond/,
    );
  });
});
