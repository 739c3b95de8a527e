import type { ApiCallTally } from '../../local/apiCalls/apiCallCounter.js';

/**
 * What AWS bills for the calls counted in a run, by the unit each service prices
 * (docs/aws-semantics.md#billing).
 */
export interface BillableUnits {
  /** SQS requests: one per call and per 64 KiB of payload, empty long polls scaled to AWS's 20 s wait. */
  readonly sqsRequests: number;
  /** SNS requests: one per Publish or PublishBatch call and per 64 KiB of payload. */
  readonly snsRequests: number;
  /** CloudWatch API requests that are priced (PutMetricData, GetMetricStatistics, ...). */
  readonly cloudWatchRequests: number;
  readonly dynamoDbWriteUnits: number;
  readonly dynamoDbReadUnits: number;
}

/** Raw API calls per service as counted, with empty long polls scaled like the SQS requests above. */
export interface CallsByService {
  readonly sqs: number;
  readonly sns: number;
  readonly cloudWatch: number;
  readonly dynamoDb: number;
  readonly lambda: number;
}

/** How long Lambda's SQS pollers wait in a receive: assumed the longest (docs/aws-semantics.md#sqs-request-billing). */
export const AWS_POLL_WAIT_SECONDS = 20;

/** SQS and SNS bill each 64 KiB of a request's payload as one request. */
const CHUNK_BYTES = 64 * 1_024;

/** CloudWatch API requests on the price list (DescribeAlarms and the alarm APIs are not on it). */
const PRICED_CLOUDWATCH = new Set([
  'PutMetricData',
  'GetMetricStatistics',
  'GetMetricData',
  'ListMetrics',
  'GetDashboard',
  'ListDashboards',
  'PutDashboard',
  'DeleteDashboards',
]);

/** DynamoDB operations by what they consume per entry: 1 unit, 2 in a transaction (items up to 1 KB / 4 KB). */
const DYNAMODB_WRITES: Readonly<Record<string, number>> = {
  PutItem: 1,
  UpdateItem: 1,
  DeleteItem: 1,
  BatchWriteItem: 1,
  TransactWriteItems: 2,
};
const DYNAMODB_READS: Readonly<Record<string, number>> = {
  GetItem: 1,
  Query: 1,
  Scan: 1,
  BatchGetItem: 1,
  TransactGetItems: 2,
};

/**
 * The local pollers wait `pollWaitSeconds` of real time per empty long poll, which is `timeScale` times as
 * much AWS time; Lambda's pollers wait 20 s. So an empty long poll counted here stands for
 * `pollWaitSeconds × timeScale / 20` of AWS's: the idle polling of the run's length in AWS time.
 */
export function emptyLongPollScale(timeScale: number, pollWaitSeconds: number): number {
  return (pollWaitSeconds * timeScale) / AWS_POLL_WAIT_SECONDS;
}

/** Calls per service, the empty long polls scaled to what Lambda's pollers would have made on AWS. */
export function callsByService(tallies: readonly ApiCallTally[], emptyPollScale: number): CallsByService {
  const calls = { sqs: 0, sns: 0, cloudWatch: 0, dynamoDb: 0, lambda: 0 };
  for (const tally of tallies) {
    const key = SERVICE_KEYS[tally.service];
    if (key === undefined) continue;
    calls[key] += awsEquivalentCalls(tally, emptyPollScale);
  }
  return calls;
}

/** Billable units of every counted call. Lambda's own API calls cost nothing beyond the invocations. */
export function billableUnits(tallies: readonly ApiCallTally[], emptyPollScale: number): BillableUnits {
  let sqsRequests = 0;
  let snsRequests = 0;
  let cloudWatchRequests = 0;
  let dynamoDbWriteUnits = 0;
  let dynamoDbReadUnits = 0;
  for (const tally of tallies) {
    const chunks = Math.max(1, Math.ceil(tally.bytes / Math.max(1, tally.calls) / CHUNK_BYTES));
    switch (tally.service) {
      case 'sqs':
        sqsRequests += awsEquivalentCalls(tally, emptyPollScale) * chunks;
        break;
      case 'sns':
        snsRequests += tally.calls * chunks;
        break;
      case 'monitoring':
        if (PRICED_CLOUDWATCH.has(tally.action)) cloudWatchRequests += tally.calls;
        break;
      case 'dynamodb':
        dynamoDbWriteUnits += (DYNAMODB_WRITES[tally.action] ?? 0) * tally.entries;
        dynamoDbReadUnits += (DYNAMODB_READS[tally.action] ?? 0) * tally.entries;
        break;
    }
  }
  return { sqsRequests, snsRequests, cloudWatchRequests, dynamoDbWriteUnits, dynamoDbReadUnits };
}

const SERVICE_KEYS: Readonly<Record<string, keyof CallsByService>> = {
  sqs: 'sqs',
  sns: 'sns',
  monitoring: 'cloudWatch',
  dynamodb: 'dynamoDb',
  lambda: 'lambda',
};

/** A tally's calls with its empty long polls scaled to Lambda's pollers (see emptyLongPollScale). */
export function awsEquivalentCalls(tally: ApiCallTally, emptyPollScale: number): number {
  return tally.calls - tally.emptyLongPolls + tally.emptyLongPolls * emptyPollScale;
}
