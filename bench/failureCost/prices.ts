/**
 * Public on-demand prices in us-east-1 beyond the free tiers, as the AWS pricing pages list them
 * (checked 2026-12-03). The failure-cost suite prices what it counted with these and nothing else; a price
 * change is an edit here, with its page and date. What each price applies to: docs/aws-semantics.md#billing.
 */
export const PRICES_CHECKED_ON = '2026-12-03';

export interface Price {
  /** Dollars per `per` units. */
  readonly dollars: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
}

export const PRICES = {
  lambdaRequests: {
    dollars: 0.2,
    per: 1_000_000,
    unit: 'requests (invocations)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  /** Arm (Graviton) duration, first tier (first 7.5 billion GB-s a month); INIT is billed since 2025-08-01. */
  lambdaArmGbSecond: {
    dollars: 0.0000133334,
    per: 1,
    unit: 'GB-second (arm64)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  /** Standard queues, first 100 billion requests a month; each 64 KiB of payload is one request. */
  sqsRequests: {
    dollars: 0.4,
    per: 1_000_000,
    unit: 'requests (standard queue)',
    source: 'https://aws.amazon.com/sqs/pricing/',
  },
  /** Standard topics; a Publish or a PublishBatch of up to 10 messages is one request per 64 KiB of payload. */
  snsPublishes: {
    dollars: 0.5,
    per: 1_000_000,
    unit: 'publish requests (standard topic)',
    source: 'https://aws.amazon.com/sns/pricing/',
  },
  /** GetMetricStatistics, ListMetrics, PutMetricData, dashboards API; DescribeAlarms is not a priced request. */
  cloudWatchRequests: {
    dollars: 0.01,
    per: 1_000,
    unit: 'API requests',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  /** Standard log class ingestion (Embedded Metric Format lines included). */
  cloudWatchLogsIngestion: {
    dollars: 0.5,
    per: 1,
    unit: 'GB ingested',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  /** On-demand capacity, after the November 2024 price reduction. */
  dynamoDbWrites: {
    dollars: 0.625,
    per: 1_000_000,
    unit: 'write request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoDbReads: {
    dollars: 0.125,
    per: 1_000_000,
    unit: 'read request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  /** Fixed monthly costs, reported apart (they do not grow with messages). */
  alarmMetricMonth: {
    dollars: 0.1,
    per: 1,
    unit: 'standard-resolution alarm metric per month',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  compositeAlarmMonth: {
    dollars: 0.5,
    per: 1,
    unit: 'composite alarm per month',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  dashboardMonth: {
    dollars: 3,
    per: 1,
    unit: 'dashboard per month (beyond 3 free)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  customMetricMonth: {
    dollars: 0.3,
    per: 1,
    unit: 'custom metric per month (first 10,000)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
} as const satisfies Record<string, Price>;

/** Dollars for `units` at a price. */
export function dollarsFor(price: Price, units: number): number {
  return (price.dollars * units) / price.per;
}
