/** What the local runtime built from the template, by kind. */
export interface LocalQueue {
  readonly logicalId: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface LocalTopic {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface LocalTable {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface FunctionSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** `index.handler` */
  readonly handler: string;
  /** The bundled asset folder in the cloud assembly. */
  readonly codeDirectory: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly runtime: string;
  /** Reserved concurrency, when the template sets one. */
  readonly reservedConcurrency: number | undefined;
}

export interface EventSourceMappingSpec {
  readonly logicalId: string;
  readonly uuid: string;
  readonly functionName: string;
  readonly queue: LocalQueue;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly maximumConcurrency: number | undefined;
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

/** What every alarm has, metric or composite: its identity, and what it does on each state change. */
export interface AlarmBaseSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  readonly description: string | undefined;
}

/** A metric and the statistic an alarm reads from it, per period. */
export interface MetricStatSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
  readonly statistic: string;
  readonly periodSeconds: number;
}

/** One entry of a metric-math alarm's `Metrics`: a metric it reads, or an expression over the others. */
export interface MetricQuerySpec {
  readonly id: string;
  readonly label: string | undefined;
  readonly metricStat: MetricStatSpec | undefined;
  readonly expression: string | undefined;
  /** The one query whose value the alarm compares with its threshold. */
  readonly returnData: boolean;
}

export interface AlarmSpec extends AlarmBaseSpec {
  readonly kind: 'metric';
  /** What a single-metric alarm reads; undefined for a metric-math alarm. */
  readonly metric: MetricStatSpec | undefined;
  /** A metric-math alarm's queries; empty for a single-metric alarm. */
  readonly metrics: readonly MetricQuerySpec[];
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly treatMissingData: string;
}

/** A composite alarm: its rule over other alarms' states, e.g. `ALARM("arn:...") OR ALARM("arn:...")`. */
export interface CompositeAlarmSpec extends AlarmBaseSpec {
  readonly kind: 'composite';
  readonly rule: string;
}

export interface ScheduleSpec {
  readonly logicalId: string;
  /** The rule's name: its Name, or one made like CloudFormation's (localNames.ts). */
  readonly name: string;
  /** As written in the template, e.g. `rate(5 minutes)`. */
  readonly expression: string;
  readonly everySeconds: number;
  readonly targets: readonly { readonly arn: string; readonly input: string | undefined }[];
}

export interface LocalResources {
  readonly region: string;
  readonly queues: ReadonlyMap<string, LocalQueue>;
  readonly topics: ReadonlyMap<string, LocalTopic>;
  /** DynamoDB tables, created on the embedded dynalite server. */
  readonly tables: ReadonlyMap<string, LocalTable>;
  readonly functions: ReadonlyMap<string, FunctionSpec>;
  readonly mappings: readonly EventSourceMappingSpec[];
  /** SNS -> Lambda subscriptions, delivered by the runtime (fauxqs delivers only to SQS). */
  readonly lambdaSubscriptions: readonly { readonly topicArn: string; readonly functionName: string }[];
  readonly alarms: readonly AlarmSpec[];
  readonly compositeAlarms: readonly CompositeAlarmSpec[];
  readonly schedules: readonly ScheduleSpec[];
  /** Resource types with no local effect, and how many of each. */
  readonly notEmulated: ReadonlyMap<string, number>;
  readonly outputs: Readonly<Record<string, string>>;
}
