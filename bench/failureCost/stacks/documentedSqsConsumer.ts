import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from '../../../infra/index.js';
import type { ConsumerSetup } from './consumerSetup.js';

/** AWS's recommendations for an SQS event source (docs/aws-semantics.md#visibility-timeout-and-function-timeout). */
export const DOCUMENTED_SETUP = {
  /** "at least six times the timeout that you configure on your function" (+ the batching window). */
  visibilityPerFunctionTimeout: 6,
  /** "set the maxReceiveCount on the queue's redrive policy to at least 5". */
  maxReceiveCount: 5,
} as const;

export interface DocumentedSqsConsumerProps {
  readonly entry: string;
  readonly setup: ConsumerSetup;
}

/**
 * The setup a team runs today with a partial-batch library: a work queue whose visibility timeout is six
 * times the function timeout, a DLQ after 5 receives, and the function consuming it with
 * ReportBatchItemFailures. Nothing else: no alarms, no redrive, no backoff.
 */
export class DocumentedSqsConsumer extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly consumerFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: DocumentedSqsConsumerProps) {
    super(scope, id);
    const { setup } = props;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(
        DOCUMENTED_SETUP.visibilityPerFunctionTimeout * setup.timeout.toSeconds() +
          setup.maxBatchingWindowSeconds,
      ),
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: DOCUMENTED_SETUP.maxReceiveCount },
    });
    this.consumerFunction = new lambda.Function(this, 'Consumer', {
      runtime: setup.runtime,
      architecture: setup.architecture,
      code: bundledCode(props.entry),
      handler: BUNDLED_HANDLER,
      timeout: setup.timeout,
      memorySize: setup.memorySize,
    });
    this.consumerFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: setup.batchSize,
        ...(setup.maxBatchingWindowSeconds > 0
          ? { maxBatchingWindow: Duration.seconds(setup.maxBatchingWindowSeconds) }
          : {}),
        reportBatchItemFailures: true,
      }),
    );
  }
}
