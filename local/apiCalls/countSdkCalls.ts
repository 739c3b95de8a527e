import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ApiCallCounter, ApiCaller } from './apiCallCounter.js';

/**
 * Counts every request an SQS client of the runtime itself sends (the event source mappings' pollers), at
 * a step that runs once per attempt, so that each attempt the SDK retries is one request, as SQS would
 * count it. Long polls that return nothing are tallied apart: their wait is not compressed like the rest
 * of time, so a cost model has to scale them.
 */
export function countSdkCalls(client: SQSClient, counter: ApiCallCounter, caller: ApiCaller): SQSClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const action = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as { Entries?: unknown[]; WaitTimeSeconds?: number };
      const output = (result.output ?? {}) as { Messages?: unknown[] };
      const body = (args.request as { body?: unknown } | undefined)?.body;
      const longPoll = action === 'ReceiveMessage' && (input.WaitTimeSeconds ?? 0) > 0;
      counter.record(
        caller,
        {
          service: 'sqs',
          action,
          entries: Array.isArray(input.Entries) ? input.Entries.length : 1,
          bytes: typeof body === 'string' ? Buffer.byteLength(body) : 0,
        },
        { emptyLongPoll: longPoll && (output.Messages ?? []).length === 0 },
      );
      return result;
    },
    // Inside the retry middleware (finalizeRequest, high priority), outside the deserializer.
    { step: 'finalizeRequest', priority: 'low', name: 'sqsFailsafeLocalApiCallCounter' },
  );
  return client;
}
