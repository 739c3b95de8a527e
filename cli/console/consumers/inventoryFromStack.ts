import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeAwsError } from '../../../lib/aws/awsCallError.js';
import type { AwsCallPolicy } from '../../../lib/aws/awsCallPolicy.js';
import type { AwsClients } from '../../../lib/aws/awsClients.js';
import { lambdaClient, lambdaCommands } from '../../../lib/aws/awsClients.js';
import { listStackResources } from '../../../lib/aws/stackResources.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../../lib/config/redriveConfig.js';
import type {
  Inventory,
  InventoryMapping,
  InventoryQueue,
  InventoryRedriveFunction,
} from './consumerInventory.js';
import { describeQueue, listAlarms } from './inventoryFromQueues.js';

export interface StackClients extends AwsClients {
  readonly cloudFormation?: CloudFormationClient;
}

/**
 * The inventory of a deployed stack, read from its resources (ListStackResources): its queues (physical id
 * = queue URL), event source mappings (uuid), Lambda functions (the redrive function's configuration
 * names its DLQ, parking queue and alarms) and alarms. This finds every FailsafeConsumer in the stack
 * without outputs of its own; nested stacks are not followed (name them with --stack too).
 */
export async function inventoryFromStack(stackName: string, aws: StackClients): Promise<Inventory> {
  const policy: AwsCallPolicy = { deadline: Date.now() + 60_000 };
  const problems: string[] = [];
  const resources = await listStackResources(stackName, aws.cloudFormation);
  const ids = (type: string) =>
    resources.filter((resource) => resource.type === type).map((resource) => resource.physicalId);

  const queues: InventoryQueue[] = [];
  for (const url of ids('AWS::SQS::Queue')) {
    queues.push(
      await describeQueue(url, policy, aws).catch((error: unknown) => {
        problems.push(`queue ${url} could not be read (${describeAwsError(error).name})`);
        return { url, arn: '' };
      }),
    );
  }
  const [lambda, { GetEventSourceMappingCommand, GetFunctionConfigurationCommand }] = await Promise.all([
    lambdaClient(aws.lambda),
    lambdaCommands(),
  ]);
  const mappings: InventoryMapping[] = [];
  for (const uuid of ids('AWS::Lambda::EventSourceMapping')) {
    try {
      const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
      if (mapping.EventSourceArn?.includes(':sqs:') !== true) continue;
      mappings.push({
        uuid,
        queueArn: mapping.EventSourceArn,
        functionName: mapping.FunctionArn?.split(':')[6] ?? '-',
      });
    } catch (error) {
      problems.push(`event source mapping ${uuid} could not be read (${describeAwsError(error).name})`);
    }
  }
  const redriveFunctions: InventoryRedriveFunction[] = [];
  for (const functionName of ids('AWS::Lambda::Function')) {
    try {
      const configuration = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName }),
      );
      const text = configuration.Environment?.Variables?.[REDRIVE_CONFIG_ENV_VAR];
      if (text === undefined) continue;
      const config = JSON.parse(text) as {
        dlqUrl?: string;
        parkingQueueUrl?: string;
        healthAlarmName?: string;
        dlqAlarmName?: string;
      };
      if (config.dlqUrl === undefined) continue;
      redriveFunctions.push({
        functionName,
        dlqUrl: config.dlqUrl,
        parkingQueueUrl: config.parkingQueueUrl,
        alarmNames: [config.healthAlarmName, config.dlqAlarmName].filter((name) => name !== undefined),
      });
    } catch (error) {
      problems.push(`function ${functionName} could not be read (${describeAwsError(error).name})`);
    }
  }
  const alarmNames = [...ids('AWS::CloudWatch::Alarm'), ...ids('AWS::CloudWatch::CompositeAlarm')];
  const alarms =
    alarmNames.length === 0
      ? []
      : await listAlarms(aws, alarmNames).catch((error: unknown) => {
          problems.push(`alarms could not be read (${describeAwsError(error).name})`);
          return [];
        });
  return { queues, mappings, redriveFunctions, alarms, problems };
}
