import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityBatchCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * Makes the mocked batch APIs the failure paths use accept every entry, so a test or benchmark can count
 * the calls an invocation makes. Shared by the `aws-calls` benchmark and its unit test; it lives here, not in
 * test/helpers, because source folders never import test code (README, "Architecture rules").
 */
export function acceptBatchCalls(sqs: AwsClientStub<SQSClient>, sns: AwsClientStub<SNSClient>): void {
  const accept = (entries: { Id?: string }[] = []) => ({
    Successful: entries.map(({ Id }) => ({ Id, MessageId: `m-${Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  });
  sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => accept(input.Entries));
  sqs.on(SendMessageBatchCommand).callsFake((input) => accept(input.Entries));
  sns.on(PublishBatchCommand).callsFake((input) => accept(input.PublishBatchRequestEntries));
}
