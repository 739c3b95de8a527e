import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { groupConsumers, type Inventory } from '../../cli/console/consumers/consumerInventory.js';
import { type RunningConsole, startConsole } from '../../cli/console/startConsole.js';
import { redriveTarget } from '../../lib/aws/redrivePolicy.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import type { LocalRuntime } from '../localRuntime.js';
import { runCharts } from '../report/runReport.js';
import type { RunTimeline } from '../report/runTimeline.js';

/**
 * `npm start -- --console`: the operator console over the local pipeline, as it runs. It is the same
 * console as `sqs-failsafe console`, given the runtime's resources directly (there is no CloudFormation
 * here) and clients for its SQS, Lambda and CloudWatch endpoints; its live view draws the run report's
 * charts over the run so far.
 */
export async function startLocalConsole(
  runtime: LocalRuntime,
  timeline: () => RunTimeline,
): Promise<RunningConsole> {
  const { resources } = runtime;
  const client = {
    region: resources.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const aws = {
    sqs: new SQSClient({
      ...client,
      endpoint: runtime.endpoint,
      useQueueUrlAsEndpoint: false,
      maxAttempts: 1,
    }),
    lambda: new LambdaClient({ ...client, endpoint: runtime.lambdaEndpoint, maxAttempts: 1 }),
    cloudWatch: new CloudWatchClient({ ...client, endpoint: runtime.cloudWatchEndpoint, maxAttempts: 1 }),
  };
  const inventory: Inventory = {
    queues: [...resources.queues.values()].map((queue) => ({
      url: queue.url,
      arn: queue.arn,
      deadLetterTargetArn: redriveTarget(queue.attributes.RedrivePolicy),
    })),
    mappings: resources.mappings.map((mapping) => ({
      uuid: mapping.uuid,
      queueArn: mapping.queue.arn,
      functionName: mapping.functionName,
    })),
    redriveFunctions: [...resources.functions.values()].flatMap((fn) => {
      const text = fn.environment[REDRIVE_CONFIG_ENV_VAR];
      if (text === undefined) return [];
      const config = JSON.parse(text) as {
        dlqUrl: string;
        parkingQueueUrl?: string;
        healthAlarmName?: string;
        dlqAlarmName?: string;
      };
      return [
        {
          functionName: fn.name,
          dlqUrl: config.dlqUrl,
          parkingQueueUrl: config.parkingQueueUrl,
          alarmNames: [config.healthAlarmName, config.dlqAlarmName].filter((name) => name !== undefined),
        },
      ];
    }),
    alarms: [
      ...resources.alarms.map((alarm) => ({
        name: alarm.name,
        dimensions: [
          ...(alarm.metric?.dimensions ?? []),
          ...alarm.metrics.flatMap((query) => query.metricStat?.dimensions ?? []),
        ],
      })),
      ...resources.compositeAlarms.map((alarm) => ({ name: alarm.name, dimensions: [], rule: alarm.rule })),
    ],
    problems: [],
  };
  const running = await startConsole({
    consumers: groupConsumers(inventory),
    aws,
    live: { charts: () => runCharts(timeline(), 'live') },
    // The embedded server answers at once: no long poll at the end of a DLQ read or a redrive.
    scan: { receiveWaitSeconds: 0 },
    receiveWaitSeconds: 0,
    // The runtime keeps the queue gauges CloudWatch would, in its own metric store.
    oldestAge: async (queueNames) => {
      const now = Date.now();
      const ages = new Map<string, number>();
      for (const name of queueNames) {
        const age = runtime.metrics.statistic(
          'AWS/SQS',
          'ApproximateAgeOfOldestMessage',
          [{ name: 'QueueName', value: name }],
          'Maximum',
          now - 60_000,
          now + 1,
        );
        if (age !== undefined) ages.set(name, age);
      }
      return ages;
    },
  });
  return {
    ...running,
    async close() {
      await running.close();
      for (const sdk of Object.values(aws)) sdk.destroy();
    },
  };
}
