import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { lambdaClient, lambdaCommands } from './awsClients.js';
import { retryAwsCall } from './retryAwsCall.js';

/**
 * Invokes a function asynchronously (InvocationType Event): Lambda queues the payload and answers at
 * once, so the caller can return before the invoked run starts. Async payloads are capped at 1 MB
 * (docs/aws-semantics.md#function-limits).
 */
export async function invokeAsync(
  functionArn: string,
  payload: unknown,
  policy: AwsCallPolicy,
  client?: LambdaClient,
): Promise<void> {
  const [lambda, { InvokeCommand }] = await Promise.all([lambdaClient(client), lambdaCommands()]);
  await retryAwsCall(
    (abortSignal) =>
      lambda.send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(payload)),
        }),
        { abortSignal },
      ),
    policy,
  );
}
