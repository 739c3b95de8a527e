import { afterEach, describe, expect, it } from 'vitest';
import {
  cloudWatchClient,
  dynamoDbClient,
  lambdaClient,
  resetAwsClients,
  snsClient,
  sqsClient,
} from '../../../lib/aws/awsClients.js';

/**
 * Issue 13: the SDK clients had no connection or request timeout, so a request made without a deadline
 * could hang for ever. Every client the runtime creates has both, and SQS, SNS, Lambda and CloudWatch
 * leave retrying to the runtime's own deadline-bounded layer.
 */
describe('SDK clients the runtime creates', () => {
  afterEach(() => {
    resetAwsClients();
  });

  it.each([
    ['SQS', sqsClient, 1],
    ['SNS', snsClient, 1],
    ['Lambda', lambdaClient, 1],
    ['CloudWatch', cloudWatchClient, 1],
    // The SDK's own retries, for Powertools Idempotency; ended by the abort signal after the handler.
    ['DynamoDB', dynamoDbClient, undefined],
  ] as const)('%s: connection and request timeouts', async (_, create, attempts) => {
    resetAwsClients();
    const client = await create();
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject({
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
      throwOnRequestTimeout: true,
    });
    if (attempts !== undefined) expect(await client.config.maxAttempts()).toBe(attempts);
  });
});
