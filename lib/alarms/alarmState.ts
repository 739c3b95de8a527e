/** A CloudWatch alarm's state. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Reads an alarm's current state (DescribeAlarms); undefined when there is no such alarm. */
export interface AlarmStateReader {
  stateOf(alarmName: string): Promise<AlarmState | undefined>;
}
