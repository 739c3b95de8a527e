import { BatchGetItemCommand, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** The answer of an SQS or SNS batch API that accepted every entry of `input`. */
export function acceptedEntries(input: {
  Entries?: { Id?: string }[];
  PublishBatchRequestEntries?: { Id?: string }[];
}) {
  const entries = input.Entries ?? input.PublishBatchRequestEntries ?? [];
  return {
    Successful: entries.map(({ Id }) => ({ Id, MessageId: `m-${Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  };
}

/**
 * Makes the mocked batch APIs the failure paths use accept every entry, so a test or benchmark can count
 * the calls an invocation makes. Shared by the `aws-calls` benchmark and unit tests; it lives here, not in
 * test/helpers, because source folders never import test code (README, "Architecture rules").
 */
export function acceptBatchCalls(sqs: AwsClientStub<SQSClient>, sns: AwsClientStub<SNSClient>): void {
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake(acceptedEntries);
  sqs.on(SendMessageBatchCommand).callsFake(acceptedEntries);
  sns.on(PublishBatchCommand).callsFake(acceptedEntries);
}

/** Makes the mocked attempt ledger accept every write and find nothing on a read. */
export function acceptLedgerCalls(dynamodb: AwsClientStub<DynamoDBClient>): void {
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
  dynamodb.on(BatchWriteItemCommand).resolves({});
}
