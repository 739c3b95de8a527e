import type { Context } from 'aws-lambda';

/**
 * The Lambda context passed to every runner. Its remaining time is fixed and far from running out, so
 * runners that arm a deadline timer per invocation (Middy's early timeout, sqs-failsafe's time budget)
 * pay for arming and clearing it, as they would in Lambda, but never fire it.
 */
export const benchLambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'bench-worker',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bench-worker',
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/bench-worker',
  logStreamName: '2026/11/24/[$LATEST]bench',
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};
