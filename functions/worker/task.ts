import * as v from 'valibot';
import type { Downstream } from './downstream.js';
import { type EffectsStore, NO_EFFECTS } from './effects.js';

/**
 * The business part of the worker: what a task message looks like and what doing it means. This is the
 * file to replace with your own logic; everything about failure handling stays in handler.ts.
 */
export const taskSchema = v.object({
  taskId: v.pipe(v.string(), v.minLength(1, 'taskId must not be empty')),
  kind: v.pipe(v.string(), v.minLength(1, 'kind must not be empty')),
  payload: v.optional(v.record(v.string(), v.unknown())),
});

export type Task = v.InferOutput<typeof taskSchema>;

export interface TaskResult {
  readonly taskId: string;
  readonly kind: string;
  readonly completedAt: string;
}

/**
 * Does the work: calls the downstream service when there is one, applies the task's effect (the part that
 * must happen once) and reports it. Takes the abort signal so the call stops when time runs out.
 */
export async function performTask(
  task: Task,
  signal: AbortSignal,
  effects: EffectsStore = NO_EFFECTS,
  downstream?: Downstream,
): Promise<TaskResult> {
  await downstream?.call(task, signal);
  await effects.apply(task.taskId);
  return { taskId: task.taskId, kind: task.kind, completedAt: new Date().toISOString() };
}
