import { PublishBatchCommand, type PublishBatchCommandInput } from '@aws-sdk/client-sns';
import type { AwsModel } from './awsModel.js';
import { publishBatchProblems } from './requestLimits.js';

export interface PublishedEvent {
  readonly topicArn: string;
  readonly at: number;
  readonly by: string;
  readonly message: string;
}

/** SNS as the product uses it: PublishBatch to topics; what was published is kept for the checks. */
export class SnsService {
  readonly published: PublishedEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  registerOperations(aws: AwsModel): void {
    aws.register<PublishBatchCommandInput>(PublishBatchCommand, {
      name: 'SNS.PublishBatch',
      entryIds: (input) => (input.PublishBatchRequestEntries ?? []).map((entry) => entry.Id ?? ''),
      problems: (input) => publishBatchProblems(input.PublishBatchRequestEntries ?? []),
      serve: (input, call) => {
        const successful = [];
        for (const entry of input.PublishBatchRequestEntries ?? []) {
          if (call.failedEntries.has(entry.Id ?? '')) continue;
          this.published.push({
            topicArn: input.TopicArn ?? '',
            at: this.#now(),
            by: call.caller.label,
            message: entry.Message ?? '',
          });
          successful.push({ Id: entry.Id, MessageId: `sns-${this.published.length}` });
        }
        return { Successful: successful, Failed: [] };
      },
    });
  }
}
