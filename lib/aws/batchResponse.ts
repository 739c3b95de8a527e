import type { BatchCallAnswer } from './runBatchedEntries.js';

interface AwsBatchResponse<TSuccessful extends { Id?: string }> {
  readonly Successful?: readonly TSuccessful[];
  readonly Failed?: readonly { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
}

/**
 * Reads the `Successful[]` / `Failed[]` answer every SQS and SNS batch API gives. A failure without
 * `SenderFault` counts as the sender's, so an entry is retried only when the service says it may help.
 */
export function readBatchResponse<TSuccessful extends { Id?: string }, TSuccess>(
  response: AwsBatchResponse<TSuccessful>,
  successValue: (entry: TSuccessful) => TSuccess,
): BatchCallAnswer<TSuccess> {
  return {
    successful: (response.Successful ?? []).map((entry) => ({
      id: entry.Id as string,
      value: successValue(entry),
    })),
    failed: (response.Failed ?? []).map(({ Id, Code, Message, SenderFault }) => ({
      id: Id as string,
      code: Code ?? 'Unknown',
      message: Message ?? '',
      senderFault: SenderFault ?? true,
    })),
  };
}

export const withoutValue = (): undefined => undefined;

export const withMessageId = ({ MessageId }: { MessageId?: string }): { messageId: string } => ({
  messageId: MessageId as string,
});
