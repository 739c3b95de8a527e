import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach } from 'vitest';

/**
 * aws-sdk-client-mock instances for the SQS and SNS clients, reset around each test. For failure paths a
 * real server cannot produce (throttling, partial Failed[] answers, publish errors).
 */
export function useAwsMocks() {
  const sqs = mockClient(SQSClient);
  const sns = mockClient(SNSClient);
  beforeEach(() => {
    sqs.reset();
    sns.reset();
  });
  afterEach(() => {
    sqs.reset();
    sns.reset();
  });
  return { sqs, sns };
}

export const throttlingError = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });

export const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq';
export const FIFO_DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/ledger-dlq.fifo';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:failsafe-events';
