import { CustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  ADOPTED_QUEUES_CHECK_PROPERTY,
  type AdoptedQueuesExpectation,
  type AssumedValue,
} from '../../../lib/adoptedQueues/adoptedQueuesCheck.js';
import type { ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { createBundledFunction } from '../../bundling/bundledFunction.js';
import { packagedHandlerEntry } from '../../bundling/packagedEntry.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { ConsumerSettings } from '../settings/consumerSettings.js';
import type { ExistingQueueSettings } from './existingQueueSettings.js';

export interface AdoptedQueuesCheckProps {
  readonly existing: ExistingQueueSettings;
  readonly props: FailsafeConsumerProps;
  readonly settings: ConsumerSettings;
  /**
   * The consumer as the construct describes it to the setup rules (describeConsumerSetup); its queue parts are
   * left out, since the check reads them from the queues at deploy time.
   */
  readonly setup: ConsumerSetup;
  readonly consumer: lambda.IFunction;
  readonly runtime: lambda.Runtime;
}

/**
 * The deploy-time check of adopted queues: a function allowed only `sqs:GetQueueAttributes` on the two queues
 * (functions/adoptedQueuesCheck), and the custom resource that runs it with what the construct was built for.
 * The event source mapping waits for it, so a consumer never starts on queues that fail it. It runs on every
 * deployment that changes the construct's settings.
 */
export function createAdoptedQueuesCheck(scope: Construct, props: AdoptedQueuesCheckProps): CustomResource {
  const { existing, settings } = props;
  const {
    queue: _describedQueue,
    deadLetterQueue: _describedDeadLetterQueue,
    ...consumerSetup
  } = props.setup;
  const checker = createBundledFunction(scope, 'QueueCheck', {
    entry: packagedHandlerEntry('adoptedQueuesCheck'),
    runtime: props.runtime,
    purpose: 'deploy-time check of the existing queues: reads their attributes, changes nothing',
    timeoutSeconds: 60,
    memorySize: 128,
    environment: {},
    logRetention: logs.RetentionDays.ONE_MONTH,
  });
  iam.Grant.addToPrincipal({
    grantee: checker,
    actions: ['sqs:GetQueueAttributes'],
    resourceArns: [existing.queue.queueArn, existing.deadLetterQueue.queueArn],
  });
  const expectation: AdoptedQueuesExpectation = {
    version: 1,
    queueUrl: existing.queue.queueUrl,
    deadLetterQueueUrl: existing.deadLetterQueue.queueUrl,
    deadLetterQueueArn: existing.deadLetterQueue.queueArn,
    fifo: settings.fifo,
    assumed: assumedValues(props.props, settings),
    setup: consumerSetup,
    functionName: props.consumer.functionName,
  };
  const check = new CustomResource(scope, 'QueueCheckResource', {
    serviceToken: checker.functionArn,
    resourceType: 'Custom::SqsFailsafeQueueCheck',
    properties: { [ADOPTED_QUEUES_CHECK_PROPERTY]: Stack.of(scope).toJsonString(expectation) },
  });
  for (const mapping of props.consumer.node.children) {
    if (mapping instanceof lambda.EventSourceMapping) mapping.node.addDependency(check);
  }
  return check;
}

/** The queue values the retry math was computed with: the stated ones, and the defaults it relies on. */
function assumedValues(props: FailsafeConsumerProps, settings: ConsumerSettings): AssumedValue[] {
  const values: AssumedValue[] = [
    {
      queue: 'work',
      attribute: 'VisibilityTimeout',
      value: settings.visibilityTimeoutSeconds,
      prop: 'visibilityTimeout',
      stated: props.visibilityTimeout !== undefined,
    },
    {
      queue: 'work',
      attribute: 'maxReceiveCount',
      value: settings.maxReceiveCount,
      prop: 'maxReceiveCount',
      stated: props.maxReceiveCount !== undefined,
    },
    {
      queue: 'work',
      attribute: 'DelaySeconds',
      value: settings.deliveryDelaySeconds,
      prop: 'deliveryDelay',
      stated: props.deliveryDelay !== undefined,
    },
  ];
  // Unstated retentions are left to the rules, which judge what the queues have.
  if (props.retentionPeriod !== undefined) {
    values.push({
      queue: 'work',
      attribute: 'MessageRetentionPeriod',
      value: settings.retentionSeconds,
      prop: 'retentionPeriod',
      stated: true,
    });
  }
  if (props.deadLetterRetentionPeriod !== undefined) {
    values.push({
      queue: 'dead-letter',
      attribute: 'MessageRetentionPeriod',
      value: settings.deadLetterRetentionSeconds,
      prop: 'deadLetterRetentionPeriod',
      stated: true,
    });
  }
  return values;
}
