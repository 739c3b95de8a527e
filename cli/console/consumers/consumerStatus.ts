import { describeAwsError } from '../../../lib/aws/awsCallError.js';
import type { AwsCallPolicy } from '../../../lib/aws/awsCallPolicy.js';
import type { AwsClients } from '../../../lib/aws/awsClients.js';
import { cloudWatchClient, cloudWatchCommands } from '../../../lib/aws/awsClients.js';
import { awsEventSourceMappings } from '../../../lib/aws/eventSourceMappingApi.js';
import { queueNameFromUrl } from '../../../lib/aws/queueReference.js';
import { getQueueAttributes } from '../../../lib/aws/sqsQueueApi.js';
import type { AlarmStatus, ConsumerStatus, MappingStatus, QueueDepths } from '../consoleApi.js';
import type { ConsumerDefinition } from './consumerInventory.js';

/**
 * The oldest message's age per queue name, in seconds. SQS reports it only as a CloudWatch metric
 * (ApproximateAgeOfOldestMessage); the local runtime has its own metric store.
 */
export type OldestAgeReader = (queueNames: readonly string[]) => Promise<ReadonlyMap<string, number>>;

export interface StatusSources {
  readonly aws: AwsClients;
  readonly oldestAge?: OldestAgeReader;
}

/** Status reads give up quickly: the page polls again in a few seconds. */
const STATUS_CALL_MS = 5_000;

/**
 * What the overview shows for one consumer, read fresh: queue depths, the oldest message's age, the event
 * source mapping (the consumer circuit breaker pauses it by disabling it, or throttles it with its maximum
 * concurrency) and the alarm states. A part that cannot be read (no permission, not emulated locally)
 * is left out and named in `problems`; the rest is still shown.
 */
export async function consumerStatus(
  consumer: ConsumerDefinition,
  sources: StatusSources,
): Promise<ConsumerStatus> {
  const problems: string[] = [];
  const policy: AwsCallPolicy = { deadline: Date.now() + STATUS_CALL_MS, maxAttempts: 2 };
  const note = (what: string) => (error: unknown) => {
    const { name, message } = describeAwsError(error);
    problems.push(`${what} could not be read (${name}: ${message})`);
    return undefined;
  };
  const queueDepths = (url: string | undefined) =>
    url === undefined
      ? Promise.resolve(undefined)
      : depths(url, policy, sources.aws).catch(note(`queue ${queueNameFromUrl(url)}`));
  const urls = [consumer.queueUrl, consumer.dlqUrl, consumer.parkingQueueUrl];
  const [ages, queue, dlq, parking, mappings, alarms] = await Promise.all([
    (sources.oldestAge ?? cloudWatchOldestAge(sources.aws))(
      urls.flatMap((url) => (url === undefined ? [] : queueNameFromUrl(url))),
    ).catch(note('oldest message age')),
    queueDepths(consumer.queueUrl),
    queueDepths(consumer.dlqUrl),
    queueDepths(consumer.parkingQueueUrl),
    Promise.all(
      consumer.mappingUuids.map((uuid) =>
        mappingStatus(uuid, consumer, policy, sources.aws).catch(note(`event source mapping ${uuid}`)),
      ),
    ),
    alarmStates(consumer.alarmNames, sources.aws).catch(note('alarm states')),
  ]);
  const withAge = (value: Omit<QueueDepths, 'oldestAgeSeconds'> | undefined): QueueDepths | undefined =>
    value === undefined ? undefined : { ...value, oldestAgeSeconds: ages?.get(value.name) };
  return {
    id: consumer.id,
    name: consumer.name,
    queue: withAge(queue),
    dlq: withAge(dlq),
    parking: withAge(parking),
    mappings: mappings.filter((mapping) => mapping !== undefined),
    alarms: alarms ?? [],
    problems,
  };
}

async function depths(
  url: string,
  policy: AwsCallPolicy,
  aws: AwsClients,
): Promise<Omit<QueueDepths, 'oldestAgeSeconds'>> {
  const attributes = await getQueueAttributes(
    url,
    [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ],
    policy,
    aws.sqs,
  );
  return {
    url,
    name: queueNameFromUrl(url),
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

async function mappingStatus(
  uuid: string,
  consumer: ConsumerDefinition,
  policy: AwsCallPolicy,
  aws: AwsClients,
): Promise<MappingStatus> {
  const mapping = await awsEventSourceMappings(policy, aws.lambda).get(uuid);
  return {
    uuid,
    functionName: mapping.functionArn?.split(':')[6] ?? consumer.functionNames[0] ?? '-',
    state: mapping.state,
    enabled: mapping.state === 'Enabled',
    maximumConcurrency: mapping.maximumConcurrency,
  };
}

async function alarmStates(names: readonly string[], aws: AwsClients): Promise<AlarmStatus[]> {
  if (names.length === 0) return [];
  const [cloudWatch, { DescribeAlarmsCommand }] = await Promise.all([
    cloudWatchClient(aws.cloudWatch),
    cloudWatchCommands(),
  ]);
  const states = new Map<string, string>();
  // DescribeAlarms takes at most 100 names per call.
  for (let start = 0; start < names.length; start += 100) {
    const response = await cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: names.slice(start, start + 100),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    for (const alarm of [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])])
      if (alarm.AlarmName !== undefined) states.set(alarm.AlarmName, alarm.StateValue ?? 'INSUFFICIENT_DATA');
  }
  return names.map((name) => ({ name, state: states.get(name) ?? 'UNKNOWN' }));
}

/** The Maximum of ApproximateAgeOfOldestMessage over the last five minutes, per queue (GetMetricData). */
function cloudWatchOldestAge(aws: AwsClients): OldestAgeReader {
  return async (queueNames) => {
    if (queueNames.length === 0) return new Map();
    const [cloudWatch, { GetMetricDataCommand }] = await Promise.all([
      cloudWatchClient(aws.cloudWatch),
      cloudWatchCommands(),
    ]);
    const end = new Date();
    const response = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 5 * 60_000),
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: queueNames.map((name, index) => ({
          Id: `q${index}`,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: name }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        })),
      }),
    );
    const ages = new Map<string, number>();
    for (const result of response.MetricDataResults ?? []) {
      const name = queueNames[Number(result.Id?.slice(1))];
      const latest = result.Values?.[0];
      if (name !== undefined && latest !== undefined) ages.set(name, latest);
    }
    return ages;
  };
}
