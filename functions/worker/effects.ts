import { incrementCounter } from '../../lib/aws/dynamoDbCounter.js';

/**
 * Where the worker's business effect lands, so that it can be counted: a demo or a test shows that a
 * message delivered twice (or redriven after it was processed) has its effect once when idempotency is
 * on. Kept apart from the task logic: a real worker replaces this file with its own side effect.
 *
 * WORKER_EFFECTS_TABLE names a DynamoDB table keyed by `id` (String); each effect adds 1 to the `count`
 * of the item named after the task. Unset: effects are not recorded anywhere.
 */
export const EFFECTS_TABLE_ENV_VAR = 'WORKER_EFFECTS_TABLE';

export interface EffectsStore {
  /** Applies the effect of one task, once per call. */
  apply(taskId: string): Promise<void>;
}

export const NO_EFFECTS: EffectsStore = { apply: async () => {} };

/** A DynamoDB counter per task id: after N applications of task t, item t has count N. */
export function dynamoDbEffectsCounter(tableName: string): EffectsStore {
  return { apply: (taskId) => incrementCounter(tableName, taskId) };
}

export function effectsStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): EffectsStore {
  const tableName = env[EFFECTS_TABLE_ENV_VAR];
  return tableName === undefined || tableName === '' ? NO_EFFECTS : dynamoDbEffectsCounter(tableName);
}
