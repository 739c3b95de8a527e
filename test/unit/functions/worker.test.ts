import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EFFECTS_TABLE_ENV_VAR,
  effectsStoreFromEnvironment,
  NO_EFFECTS,
} from '../../../functions/worker/effects.js';
import { performTask } from '../../../functions/worker/task.js';
import type { SqsRecord } from '../../../lib/index.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const task = (taskId: string) => JSON.stringify({ taskId, kind: 'thumbnail', payload: { width: 64 } });

function withFault(fault: string, overrides: Partial<SqsRecord> = {}): SqsRecord {
  return sqsRecord({
    body: task(`t-${fault}`),
    messageAttributes: {
      fault: { stringValue: fault, dataType: 'String', stringListValues: [], binaryListValues: [] },
    },
    ...overrides,
  });
}

async function loadWorker(faultInjection: 'enabled' | undefined) {
  vi.resetModules();
  vi.stubEnv('WORKER_FAULT_INJECTION', faultInjection ?? '');
  return (await import('../../../functions/worker/handler.js')).handler;
}

describe('worker function', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('processes valid task messages and fails an invalid one permanently, alone', async () => {
    const handler = await loadWorker(undefined);
    const invalid = sqsRecord({ body: JSON.stringify({ kind: 'thumbnail' }) });
    const response = await handler(eventOf([sqsRecord({ body: task('t-1') }), invalid]));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: invalid.messageId }]);
  });

  it('ignores fault attributes unless fault injection is enabled', async () => {
    const handler = await loadWorker(undefined);
    const response = await handler(eventOf([withFault('permanent'), withFault('transient:5')]));
    expect(response.batchItemFailures).toEqual([]);
  });

  it('injects faults when enabled: permanent and transient fail, flaky heals by in-invocation retry', async () => {
    const handler = await loadWorker('enabled');
    const permanent = withFault('permanent');
    const transient = withFault('transient:2', {
      attributes: { ...sqsRecord().attributes, ApproximateReceiveCount: '2' },
    });
    const healed = withFault('transient:2', {
      attributes: { ...sqsRecord().attributes, ApproximateReceiveCount: '3' },
    });
    const flaky = withFault('flaky:1');
    const response = await handler(eventOf([permanent, transient, healed, flaky]));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [permanent.messageId, transient.messageId].sort(),
    );
  });

  it('applies each task effect once per call, through the effects store', async () => {
    const applied: string[] = [];
    const result = await performTask({ taskId: 't-7', kind: 'invoice' }, new AbortController().signal, {
      apply: async (taskId) => {
        applied.push(taskId);
      },
    });
    expect(applied).toEqual(['t-7']);
    expect(result).toMatchObject({ taskId: 't-7', kind: 'invoice' });
  });

  it('records effects only when WORKER_EFFECTS_TABLE names a table', () => {
    expect(effectsStoreFromEnvironment({})).toBe(NO_EFFECTS);
    expect(effectsStoreFromEnvironment({ [EFFECTS_TABLE_ENV_VAR]: 'worker-effects' })).not.toBe(NO_EFFECTS);
  });
});
