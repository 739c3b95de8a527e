import type { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { FailsafeConsumer } from '../../../infra/index.js';

/** The consumer settings every stack of the suite shares, so that only the failure handling differs. */
export interface ConsumerSetup {
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly runtime: lambda.Runtime;
  readonly architecture: lambda.Architecture;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
}

/**
 * What FailsafeConsumer deploys by default for the consumer function and its event source mapping, read
 * from the construct itself, so that the peers' stacks follow its defaults when they change.
 */
export function consumerSetupOf(consumer: FailsafeConsumer): ConsumerSetup {
  const fn = consumer.consumerFunction;
  const cfnFunction = fn.node.defaultChild as lambda.CfnFunction;
  const mapping = fn.node.findAll().find((child) => child instanceof lambda.CfnEventSourceMapping) as
    | lambda.CfnEventSourceMapping
    | undefined;
  if (fn.timeout === undefined || mapping === undefined) {
    throw new Error('FailsafeConsumer built a consumer without a timeout or an event source mapping');
  }
  return {
    timeout: fn.timeout,
    memorySize: Number(cfnFunction.memorySize ?? 128),
    runtime: fn.runtime,
    architecture: fn.architecture,
    batchSize: Number(mapping.batchSize ?? 10),
    maxBatchingWindowSeconds: Number(mapping.maximumBatchingWindowInSeconds ?? 0),
  };
}
