import type { LambdaContextLike } from '../../lib/index.js';

/**
 * A Lambda context whose remaining time counts down with Date.now(), so it follows vitest's fake timers.
 */
export function lambdaContext(timeoutMs = 30_000, functionName = 'worker'): Required<LambdaContextLike> {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}
