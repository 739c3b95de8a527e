import * as v from 'valibot';
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
 * Does the work: applies the task's effect (the part that must happen once) and reports it. Async, takes
 * the abort signal so a real implementation can pass it to its I/O.
 */
export async function performTask(
  task: Task,
  _signal: AbortSignal,
  effects: EffectsStore = NO_EFFECTS,
): Promise<TaskResult> {
  await effects.apply(task.taskId);
  return { taskId: task.taskId, kind: task.kind, completedAt: new Date().toISOString() };
}
