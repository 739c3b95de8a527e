import { DescribeAlarmsCommand, type DescribeAlarmsCommandInput } from '@aws-sdk/client-cloudwatch';
import type { AlarmState } from '../../../lib/consumerBreaker/index.js';
import type { AwsModel } from './awsModel.js';

/**
 * CloudWatch as far as the breaker needs it: the transient-failure alarm's state, which commands set (the
 * model does not compute metrics), with its history so a transition can be judged against what the alarm
 * said while the controller was deciding.
 */
export class CloudWatchService {
  readonly alarmName: string;
  state: AlarmState = 'OK';
  readonly history: { readonly at: number; readonly state: AlarmState }[] = [];

  constructor(alarmName: string, now: number) {
    this.alarmName = alarmName;
    this.history.push({ at: now, state: 'OK' });
  }

  set(state: AlarmState, now: number): void {
    this.state = state;
    this.history.push({ at: now, state });
  }

  /** Whether the alarm was in `state` at any moment of [from, to] (a change at `from` comes after it). */
  wasIn(state: AlarmState, from: number, to: number): boolean {
    let atFrom = this.history[0]?.state;
    for (const change of this.history) {
      if (change.at < from) atFrom = change.state;
      else if (change.at <= to && change.state === state) return true;
    }
    return atFrom === state;
  }

  registerOperations(aws: AwsModel): void {
    aws.register<DescribeAlarmsCommandInput>(DescribeAlarmsCommand, {
      name: 'CloudWatch.DescribeAlarms',
      serve: (input) => ({
        MetricAlarms: (input.AlarmNames ?? []).includes(this.alarmName)
          ? [{ AlarmName: this.alarmName, StateValue: this.state }]
          : [],
        CompositeAlarms: [],
      }),
    });
  }
}
