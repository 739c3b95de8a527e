import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStateReader } from '../alarms/alarmState.js';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { cloudWatchClient, cloudWatchCommands } from './awsClients.js';
import { retryAwsCall } from './retryAwsCall.js';

/**
 * Reads an alarm's current state with DescribeAlarms (metric or composite alarm), for the consumer breaker's
 * scheduled probe. Needs cloudwatch:DescribeAlarms on that alarm's ARN only.
 *
 * @example
 * const state = await awsAlarmStates({ deadline: Date.now() + 5_000 }).stateOf('orders-transient-failures');
 */
export function awsAlarmStates(policy: AwsCallPolicy, client?: CloudWatchClient): AlarmStateReader {
  return {
    async stateOf(alarmName) {
      const [cloudWatch, { DescribeAlarmsCommand }] = await Promise.all([
        cloudWatchClient(client),
        cloudWatchCommands(),
      ]);
      const response = await retryAwsCall(
        (abortSignal) =>
          cloudWatch.send(
            new DescribeAlarmsCommand({
              AlarmNames: [alarmName],
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            }),
            { abortSignal },
          ),
        policy,
      );
      const state = response.MetricAlarms?.[0]?.StateValue ?? response.CompositeAlarms?.[0]?.StateValue;
      return state as AlarmState | undefined;
    },
  };
}
