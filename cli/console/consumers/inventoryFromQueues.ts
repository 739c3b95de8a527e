import { describeAwsError } from '../../../lib/aws/awsCallError.js';
import type { AwsCallPolicy } from '../../../lib/aws/awsCallPolicy.js';
import type { AwsClients } from '../../../lib/aws/awsClients.js';
import {
  cloudWatchClient,
  cloudWatchCommands,
  lambdaClient,
  lambdaCommands,
} from '../../../lib/aws/awsClients.js';
import { parseSqsArn, resolveQueueUrl } from '../../../lib/aws/queueReference.js';
import { redriveTarget } from '../../../lib/aws/redrivePolicy.js';
import { getQueueAttributes, getQueueUrl } from '../../../lib/aws/sqsQueueApi.js';
import type { Inventory, InventoryAlarm, InventoryMapping, InventoryQueue } from './consumerInventory.js';

export interface NamedConsumer {
  /** The work queue: URL, ARN or name. */
  readonly queue: string;
  /** Its parking queue, when it has one: URL, ARN or name. */
  readonly parkingQueue?: string | undefined;
}

/** Alarm pages read at most (100 alarms each) when looking for the consumers' alarms. */
const MAX_ALARM_PAGES = 20;

/**
 * The inventory around work queues named on the command line: each queue, its DLQ (from its redrive
 * policy), its event source mappings (ListEventSourceMappings by queue ARN) and the alarms on its queues
 * or consumer functions (DescribeAlarms). What cannot be read is noted, not fatal: the console still shows
 * the queues.
 */
export async function inventoryFromQueues(
  named: readonly NamedConsumer[],
  aws: AwsClients,
): Promise<Inventory> {
  const policy: AwsCallPolicy = { deadline: Date.now() + 30_000 };
  const problems: string[] = [];
  const queues: InventoryQueue[] = [];
  const redriveFunctions: Inventory['redriveFunctions'][number][] = [];
  for (const consumer of named) {
    const queue = await describeQueue(consumer.queue, policy, aws, true);
    queues.push(queue);
    if (queue.deadLetterTargetArn !== undefined) {
      const target = parseSqsArn(queue.deadLetterTargetArn);
      if (target !== undefined) {
        const url = await getQueueUrl(target.name, target.accountId, policy, aws.sqs);
        queues.push({ url, arn: queue.deadLetterTargetArn });
        if (consumer.parkingQueue !== undefined) {
          const parking = await resolveQueueUrl(consumer.parkingQueue, policy, aws.sqs);
          // The operator's word stands for the redrive function's configuration here.
          redriveFunctions.push({ functionName: '-', dlqUrl: url, parkingQueueUrl: parking, alarmNames: [] });
        }
      }
    } else {
      problems.push(`${queue.url} has no redrive policy: it has no DLQ to triage`);
    }
  }
  const mappings = await listMappings(queues, aws).catch((error: unknown) => {
    problems.push(`event source mappings could not be listed (${describeAwsError(error).name})`);
    return [];
  });
  const alarms = await listAlarms(aws).catch((error: unknown) => {
    problems.push(`alarms could not be listed (${describeAwsError(error).name})`);
    return [];
  });
  return { queues, mappings, redriveFunctions, alarms, problems };
}

export async function describeQueue(
  reference: string,
  policy: AwsCallPolicy,
  aws: AwsClients,
  named = false,
): Promise<InventoryQueue> {
  const url = await resolveQueueUrl(reference, policy, aws.sqs);
  const attributes = await getQueueAttributes(url, ['QueueArn', 'RedrivePolicy'], policy, aws.sqs);
  return {
    url,
    arn: attributes.QueueArn ?? '',
    deadLetterTargetArn: redriveTarget(attributes.RedrivePolicy),
    ...(named ? { named } : {}),
  };
}

async function listMappings(queues: readonly InventoryQueue[], aws: AwsClients): Promise<InventoryMapping[]> {
  const [lambda, { ListEventSourceMappingsCommand }] = await Promise.all([
    lambdaClient(aws.lambda),
    lambdaCommands(),
  ]);
  const found: InventoryMapping[] = [];
  for (const queue of queues.filter((candidate) => candidate.named === true)) {
    let marker: string | undefined;
    do {
      const page = await lambda.send(
        new ListEventSourceMappingsCommand({ EventSourceArn: queue.arn, Marker: marker }),
      );
      for (const mapping of page.EventSourceMappings ?? []) {
        // Filtered here too: an endpoint that ignores the filter (the local runtime's) lists them all.
        if (mapping.EventSourceArn !== queue.arn || mapping.UUID === undefined) continue;
        found.push({
          uuid: mapping.UUID,
          queueArn: queue.arn,
          functionName: mapping.FunctionArn?.split(':')[6] ?? '-',
        });
      }
      marker = page.NextMarker;
    } while (marker !== undefined);
  }
  return found;
}

/** Every alarm of the account and region (up to MAX_ALARM_PAGES pages); groupConsumers picks ours. */
export async function listAlarms(aws: AwsClients, names?: readonly string[]): Promise<InventoryAlarm[]> {
  const [cloudWatch, { DescribeAlarmsCommand }] = await Promise.all([
    cloudWatchClient(aws.cloudWatch),
    cloudWatchCommands(),
  ]);
  const alarms: InventoryAlarm[] = [];
  const batches = names === undefined ? [undefined] : chunks(names, 100);
  for (const batch of batches) {
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          ...(batch === undefined ? {} : { AlarmNames: [...batch] }),
          NextToken: token,
        }),
      );
      for (const alarm of page.MetricAlarms ?? []) {
        const dimensions = [
          ...(alarm.Dimensions ?? []),
          ...(alarm.Metrics ?? []).flatMap((query) => query.MetricStat?.Metric?.Dimensions ?? []),
        ];
        alarms.push({
          name: alarm.AlarmName ?? '',
          dimensions: dimensions.map((dimension) => ({
            name: dimension.Name ?? '',
            value: dimension.Value ?? '',
          })),
        });
      }
      for (const alarm of page.CompositeAlarms ?? [])
        alarms.push({ name: alarm.AlarmName ?? '', dimensions: [], rule: alarm.AlarmRule ?? '' });
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined && pages < MAX_ALARM_PAGES);
  }
  return alarms;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
