import { describeSeconds } from '../../time/formatDuration.js';
import type { AlarmSetup, AlarmSubject } from '../consumerSetup.js';
import type { SetupRule } from '../setupRule.js';

/**
 * Whether an alarm action can reach a person, told by the service in its ARN: an SNS topic or a Systems
 * Manager OpsItem or incident can; a Lambda function, an EC2 or Auto Scaling action is automation. An ARN of
 * another service counts as reaching someone, so that a new kind of action is never reported as silent.
 *
 * @example
 * alarmActionReachesPeople('arn:aws:sns:eu-west-1:111122223333:ops'); // true
 * alarmActionReachesPeople('arn:aws:lambda:eu-west-1:111122223333:function:redrive'); // false
 */
export function alarmActionReachesPeople(arn: string): boolean {
  const service = arn.split(':')[2];
  return !['lambda', 'automate', 'autoscaling', 'swf'].includes(service ?? '');
}

const watching = (alarms: readonly AlarmSetup[], subject: AlarmSubject) =>
  alarms.filter((alarm) => alarm.watches === subject);

export const SOMEONE_HEARS_OF_TROUBLE: SetupRule = {
  id: 'someone-hears-of-trouble',
  severity: 'warning',
  summary: 'At least one alarm has an action that reaches a person.',
  // Said of any setup: a construct's alarms without alarmActions invoke only its functions, a hand-made
  // consumer's may have no action at all.
  why:
    'no alarm action reaches a person (an action that invokes a function tells nobody): dead letters nobody ' +
    'redrives wait unseen in the DLQ until its retention deletes them',
  reference: 'docs/aws-semantics.md#alarm-actions-run-on-state-changes',
  check({ alarms }) {
    if (alarms === undefined || alarms.length === 0) return [];
    if (alarms.some((alarm) => alarm.alarmActionArns.some(alarmActionReachesPeople))) return [];
    return [
      {
        prop: 'alarmActions',
        value: 'none that reaches a person',
        problem: `none of the ${alarms.length} alarms notifies anyone`,
        fix:
          'give alarmActions an SNS action (an AlertTopic, or new SnsAction(topic)), or add one to ' +
          'alarms.deadLetterQueueNotEmpty and alarms.consumerHealth',
      },
    ];
  },
};

export const DEAD_LETTER_QUEUE_ALARMED: SetupRule = {
  id: 'dead-letter-queue-alarmed',
  severity: 'warning',
  summary: 'An alarm watches the DLQ.',
  why: 'nothing tells anyone (or the redrive function) that messages were dead-lettered',
  reference: 'docs/aws-semantics.md#alarm-actions-run-on-state-changes',
  check({ deadLetterQueue, alarms }) {
    if (deadLetterQueue === undefined || alarms === undefined) return [];
    if (watching(alarms, 'dead-letter-queue').length > 0) return [];
    return [
      {
        prop: 'alarms.deadLetterQueueNotEmpty',
        value: 'none',
        problem: `no alarm watches ${deadLetterQueue.name}`,
        fix: 'use FailsafeConsumer, which creates alarms.deadLetterQueueNotEmpty, and give it alarmActions',
      },
    ];
  },
};

export const PARKING_QUEUE_ALARMED: SetupRule = {
  id: 'parking-queue-alarmed',
  severity: 'warning',
  summary: 'An alarm watches the parking queue.',
  why:
    'the parking queue is the end of the line: nothing moves its messages on, so unless someone is told they ' +
    'wait there until its retention deletes them',
  reference: 'docs/aws-semantics.md#alarm-actions-run-on-state-changes',
  check({ redrive, alarms }) {
    const parking = redrive?.parkingQueue;
    if (parking === undefined || alarms === undefined) return [];
    if (watching(alarms, 'parking-queue').length > 0) return [];
    return [
      {
        prop: 'redrive.parkingQueue',
        value: 'true',
        problem: `no alarm watches the parking queue ${parking.name}`,
        fix: 'use FailsafeConsumer, which creates alarms.parkingQueueNotEmpty, and give it alarmActions',
      },
    ];
  },
};

export const SKIPPED_DEAD_LETTER_ALARM_LOOKED_AT_AGAIN: SetupRule = {
  id: 'skipped-dead-letter-alarm-looked-at-again',
  severity: 'warning',
  summary: 'Something looks at the DLQ again when the redrive skipped its alarm.',
  why:
    'an alarm acts only when its state changes: one that stays in ALARM after the redrive skipped it (cooldown, ' +
    'return breaker) never invokes the function again, and its dead letters wait until they expire',
  reference: 'docs/aws-semantics.md#alarm-actions-run-on-state-changes',
  check({ redrive }) {
    if (redrive === undefined || redrive.recheckSeconds !== undefined) return [];
    return [
      {
        prop: 'redrive.scheduleInterval',
        value: 'no schedule',
        problem: `the DLQ alarm's redrive is skipped during the ${describeSeconds(redrive.cooldownSeconds)} cooldown and nothing triggers it later`,
        fix: 'invoke the redrive function on a schedule (FailsafeConsumer does, every redrive.scheduleInterval)',
      },
    ];
  },
};

/** The rules on alarms: they judge a setup's `alarms`, which the construct can only describe at synthesis. */
export const ALARM_RULES: readonly SetupRule[] = [
  DEAD_LETTER_QUEUE_ALARMED,
  PARKING_QUEUE_ALARMED,
  SKIPPED_DEAD_LETTER_ALARM_LOOKED_AT_AGAIN,
  SOMEONE_HEARS_OF_TROUBLE,
];
