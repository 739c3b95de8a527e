import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients, created on first use. The SDK modules are imported only then, so an invocation that never
 * talks to SQS or SNS (a healthy batch) never loads them. Retries are ours (retryAwsCall,
 * runBatchedEntries), within the time budget, so the SDK's own retry is off; each request also carries an
 * abort signal from that layer, cut at the invocation's deadline.
 */
export interface AwsClients {
  readonly sqs?: SQSClient;
  readonly sns?: SNSClient;
  /** The idempotency table's and the attempt ledger's client. */
  readonly dynamodb?: DynamoDBClient;
  /**
   * The consumer breaker controller's client for the event source mapping, and the redrive function's for invoking
   * itself when a DLQ takes longer than one invocation to drain.
   */
  readonly lambda?: LambdaClient;
  /** The consumer breaker controller's client for the alarm state. */
  readonly cloudWatch?: CloudWatchClient;
}

/**
 * Timeouts of every client the runtime creates, a backstop under the per-request deadline of the AWS-call
 * layer for requests made without one: connecting to a regional endpoint takes milliseconds, so 3 s means
 * the network is broken; no request may stay unanswered longer than 30 s, which is longer than SQS's
 * longest poll (20 s) so that a long poll is never cut by it.
 */
export const CLIENT_TIMEOUTS = {
  connectionTimeout: 3_000,
  requestTimeout: 30_000,
  throwOnRequestTimeout: true,
} as const;

let sharedSqs: Promise<SQSClient> | undefined;
let sharedSns: Promise<SNSClient> | undefined;
let sharedDynamoDb: Promise<DynamoDBClient> | undefined;
let sharedDynamoDbBatch: Promise<DynamoDBClient> | undefined;
let sharedLambda: Promise<LambdaClient> | undefined;
let sharedCloudWatch: Promise<CloudWatchClient> | undefined;

/**
 * With an endpoint override (AWS_ENDPOINT_URL, as for a local server or LocalStack), the SQS client would
 * otherwise send to the host in the QueueUrl, not to the configured endpoint.
 */
function usesEndpointOverride(env: NodeJS.ProcessEnv): boolean {
  return env.AWS_ENDPOINT_URL !== undefined || env.AWS_ENDPOINT_URL_SQS !== undefined;
}

export function sqsClient(injected?: SQSClient): Promise<SQSClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedSqs ??= import('@aws-sdk/client-sqs').then(
    ({ SQSClient }) =>
      new SQSClient({
        maxAttempts: 1,
        requestHandler: CLIENT_TIMEOUTS,
        ...(usesEndpointOverride(process.env) ? { useQueueUrlAsEndpoint: false } : {}),
      }),
  );
  return sharedSqs;
}

export function snsClient(injected?: SNSClient): Promise<SNSClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedSns ??= import('@aws-sdk/client-sns').then(
    ({ SNSClient }) => new SNSClient({ maxAttempts: 1, requestHandler: CLIENT_TIMEOUTS }),
  );
  return sharedSns;
}

/**
 * The idempotency table's client. Powertools Idempotency makes its calls one item at a time, outside the
 * batch layer, so the SDK's own retries (standard mode, 3 attempts) stay on for it; a call made through
 * the batch layer carries that layer's abort signal, which ends the SDK's retries too at the deadline. The
 * SDK reads AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL itself, which is how tests reach dynalite.
 */
export function dynamoDbClient(injected?: DynamoDBClient): Promise<DynamoDBClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedDynamoDb ??= import('@aws-sdk/client-dynamodb').then(
    ({ DynamoDBClient }) => new DynamoDBClient({ requestHandler: CLIENT_TIMEOUTS }),
  );
  return sharedDynamoDb;
}

/**
 * The attempt ledger's client: its calls go through the batch layer, which retries (within the time
 * budget) itself, so the SDK's own retry is off, as for SQS.
 */
export function dynamoDbBatchClient(injected?: DynamoDBClient): Promise<DynamoDBClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedDynamoDbBatch ??= import('@aws-sdk/client-dynamodb').then(
    ({ DynamoDBClient }) => new DynamoDBClient({ maxAttempts: 1, requestHandler: CLIENT_TIMEOUTS }),
  );
  return sharedDynamoDbBatch;
}

export function lambdaClient(injected?: LambdaClient): Promise<LambdaClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedLambda ??= import('@aws-sdk/client-lambda').then(
    ({ LambdaClient }) => new LambdaClient({ maxAttempts: 1, requestHandler: CLIENT_TIMEOUTS }),
  );
  return sharedLambda;
}

export function cloudWatchClient(injected?: CloudWatchClient): Promise<CloudWatchClient> {
  if (injected !== undefined) return Promise.resolve(injected);
  sharedCloudWatch ??= import('@aws-sdk/client-cloudwatch').then(
    ({ CloudWatchClient }) => new CloudWatchClient({ maxAttempts: 1, requestHandler: CLIENT_TIMEOUTS }),
  );
  return sharedCloudWatch;
}

/**
 * The command classes, loaded with the client. The module promise is kept: an `import()` of a module that
 * is already loaded still goes through the loader (and any loader hooks) on every call, which a redrive
 * making thousands of calls per second feels.
 */
let sqsModule: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;
let snsModule: Promise<typeof import('@aws-sdk/client-sns')> | undefined;
let lambdaModule: Promise<typeof import('@aws-sdk/client-lambda')> | undefined;
let cloudWatchModule: Promise<typeof import('@aws-sdk/client-cloudwatch')> | undefined;
let dynamoDbModule: Promise<typeof import('@aws-sdk/client-dynamodb')> | undefined;
export const sqsCommands = () => (sqsModule ??= import('@aws-sdk/client-sqs'));
export const snsCommands = () => (snsModule ??= import('@aws-sdk/client-sns'));
export const lambdaCommands = () => (lambdaModule ??= import('@aws-sdk/client-lambda'));
export const cloudWatchCommands = () => (cloudWatchModule ??= import('@aws-sdk/client-cloudwatch'));
export const dynamoDbCommands = () => (dynamoDbModule ??= import('@aws-sdk/client-dynamodb'));

/** Forgets the shared clients (tests that change AWS_ENDPOINT_URL between files). */
export function resetAwsClients(): void {
  sharedSqs = undefined;
  sharedSns = undefined;
  sharedDynamoDb = undefined;
  sharedDynamoDbBatch = undefined;
  sharedLambda = undefined;
  sharedCloudWatch = undefined;
}
