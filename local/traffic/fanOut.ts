import { plural } from '../../cli/support/plural.js';
import { SOURCE_TASK_KIND, SOURCE_TOPIC_OUTPUT } from '../../infra/example/sourceTopic.js';
import type { LocalResources } from '../provision/localResources.js';
import { IGNORED_PREFIX } from './trafficDriver.js';

/** The producers' topic of the fan-out topology, and what a run published to it. */
export interface FanOutRun {
  readonly topicArn: string;
  readonly topicName: string;
  /** The value of `kind` the subscription's filter policy admits. */
  readonly taskKind: string;
  /** Messages of another kind published between the tasks, which the filter policy must keep out. */
  readonly ignored: number;
  /** Of those, the ones that reached the work queue anyway (0 when the filter policy holds). */
  reachedQueue: number;
}

/**
 * The fan-out run for a synthesized stack that has a producers' topic (the example with `topology: fanout`
 * outputs it), or undefined when tasks go straight to the queue. One message of another kind per 100 tasks
 * (at least one) tests the filter policy.
 */
export function fanOutRun(resources: LocalResources, tasks: number): FanOutRun | undefined {
  const key = Object.keys(resources.outputs).find((name) => name.endsWith(`.${SOURCE_TOPIC_OUTPUT}`));
  const topicArn = key === undefined ? undefined : resources.outputs[key];
  if (topicArn === undefined) return undefined;
  return {
    topicArn,
    topicName: topicArn.split(':').at(-1) ?? topicArn,
    taskKind: SOURCE_TASK_KIND,
    ignored: Math.max(1, Math.round(tasks / 100)),
    reachedQueue: 0,
  };
}

/** Counts the filtered-out messages among a batch the consumer received. */
export function countIgnored(run: FanOutRun | undefined, bodies: readonly string[]): void {
  if (run === undefined) return;
  run.reachedQueue += bodies.filter((body) => body.includes(`"taskId":"${IGNORED_PREFIX}`)).length;
}

/** The summary line of a fan-out run. */
export function fanOutLine(run: FanOutRun, tasks: number): string {
  return (
    `Fan-out: ${plural(tasks, 'task')} published to the topic ${run.topicName} (kind = ${run.taskKind}); ` +
    `${plural(run.ignored, 'message')} of another kind kept out by the subscription's filter policy, ` +
    `${run.reachedQueue} of which reached the queue`
  );
}
