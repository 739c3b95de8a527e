import { Token } from 'aws-cdk-lib';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';

/** Props that shape the queues the construct creates, and mean nothing for queues it adopts. */
const CREATION_PROPS = [
  'queueName',
  'deadLetterQueueName',
  'contentBasedDeduplication',
] as const satisfies readonly (keyof FailsafeConsumerProps)[];

/**
 * What cannot work with `existingQueue`, every problem naming the prop. The stated queue values themselves
 * are checked by the construct's ordinary rules, which then run on what the queues have.
 */
export function existingQueueProblems(props: FailsafeConsumerProps, stackRegion: string): SettingProblem[] {
  const existing = props.existingQueue;
  if (existing === undefined) return [];
  const problems: SettingProblem[] = [];
  const add = (prop: string, value: string, allowed: string) => problems.push({ prop, value, allowed });
  for (const prop of CREATION_PROPS) {
    if (props[prop] === undefined) continue;
    add(
      prop,
      String(props[prop]),
      'applies only to queues the construct creates: an existing queue keeps its own (change it where the queue is defined)',
    );
  }
  const { queue, deadLetterQueue } = existing;
  if (props.fifo !== undefined && props.fifo !== queue.fifo) {
    add(
      'fifo',
      String(props.fifo),
      `${queue.fifo}, what existingQueue.queue is (its name ${queue.fifo ? 'ends' : 'does not end'} in ".fifo"); or leave it unset`,
    );
  }
  if (deadLetterQueue.fifo !== queue.fifo) {
    add(
      'existingQueue.deadLetterQueue',
      nameOf(deadLetterQueue.queueArn, deadLetterQueue.node.path),
      `a ${queue.fifo ? 'FIFO' : 'standard'} queue like existingQueue.queue: SQS dead-letters only into a queue of the same type`,
    );
  }
  if (deadLetterQueue.queueArn === queue.queueArn) {
    add(
      'existingQueue.deadLetterQueue',
      'the work queue itself',
      'another queue: the target of its redrive policy',
    );
  }
  // docs/aws-semantics.md#queues-and-consumers-share-a-region
  const known = (value: string) => !Token.isUnresolved(value) && value !== '';
  if (known(queue.env.region) && known(stackRegion) && queue.env.region !== stackRegion) {
    add(
      'existingQueue.queue',
      nameOf(queue.queueArn, queue.node.path),
      `a queue in ${stackRegion}, the stack's region: its event source mapping reads only queues of the ` +
        `function's region (this one is in ${queue.env.region}; deploy the consumer to a stack there)`,
    );
  }
  for (const part of ['region', 'account'] as const) {
    const [work, dead] = [queue.env[part], deadLetterQueue.env[part]];
    if (!known(work) || !known(dead) || work === dead) continue;
    add(
      'existingQueue.deadLetterQueue',
      nameOf(deadLetterQueue.queueArn, deadLetterQueue.node.path),
      `a queue in the ${part} of existingQueue.queue (${work}): SQS dead-letters only into a queue of the same ` +
        `account and region (this one is in ${dead})`,
    );
  }
  for (const prop of ['topicSubscriptions', 'eventRules'] as const) {
    if ((props[prop] ?? []).length === 0) continue;
    add(
      prop,
      `${props[prop]?.length} with existingQueue`,
      'sources for a queue the construct creates: admitting them needs a queue policy, and CloudFormation would ' +
        "replace the existing queue's whole policy (docs/aws-semantics.md#queue-policy-statements); subscribe " +
        'the queue where it is defined',
    );
  }
  return problems;
}

function nameOf(arn: string, path: string): string {
  return Token.isUnresolved(arn) ? path : (arn.split(':').at(-1) ?? arn);
}
