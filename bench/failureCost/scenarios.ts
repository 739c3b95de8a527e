import type { PlannedTask } from './runRecord.js';

/** One way for things to go wrong, applied to the same traffic for every stack. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Decides each message's fate; the same seed gives every stack the same messages. */
  plan(count: number, random: () => number): PlannedTask[];
  /** The downstream refuses every call from `startMinute` (AWS time after the first send) for `minutes`. */
  readonly outage?: { readonly startMinute: number; readonly minutes: number };
}

/** The traffic every scenario sends: evenly spread over this much AWS time. */
export const TRAFFIC_MINUTES = 20;

const taskId = (index: number) => `task-${String(index + 1).padStart(6, '0')}`;

/**
 * Issue 16's three scenarios. A transient failure is a downstream call that fails and succeeds when tried
 * again; a poison message has a body no handler can accept (it fails validation), so nothing heals it.
 */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'transient',
    title: '5% of messages fail transiently once or twice',
    plan: (count, random) =>
      Array.from({ length: count }, (_, index) => ({
        taskId: taskId(index),
        poison: false,
        failCalls: random() < 0.05 ? (random() < 0.5 ? 1 : 2) : 0,
      })),
  },
  {
    id: 'poison',
    title: '1% poison messages',
    plan: (count, random) =>
      Array.from({ length: count }, (_, index) => ({
        taskId: taskId(index),
        poison: random() < 0.01,
        failCalls: 0,
      })),
  },
  {
    id: 'outage',
    title: 'a 10-minute downstream outage',
    plan: (count) =>
      Array.from({ length: count }, (_, index) => ({ taskId: taskId(index), poison: false, failCalls: 0 })),
    outage: { startMinute: 5, minutes: 10 },
  },
];

/** The body of a planned message: a valid task, or one whose empty `kind` fails the worker's schema. */
export function messageBody(task: PlannedTask): string {
  return JSON.stringify({ taskId: task.taskId, kind: task.poison ? '' : 'bench', payload: { n: 1 } });
}

/** The task id in a message body, whatever else the body holds (redriven copies keep it). */
export function taskIdOf(body: string): string | undefined {
  const match = /"taskId":"([^"]+)"/.exec(body);
  return match?.[1];
}
