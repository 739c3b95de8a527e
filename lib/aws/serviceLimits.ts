/**
 * The SQS, SNS, Lambda and CloudWatch limits the product is held to, in one place: the runtime, the
 * configuration schemas, the CLI and the construct's synth-time checks all import them from here, so a
 * limit AWS changes is changed once. Each is an AWS rule, not a choice of ours: its comment names the rule
 * in docs/aws-semantics.md, which links the AWS page that states it.
 */

// ----- SQS -----

/** A redrive policy's maxReceiveCount is 1 to 1000 (docs/aws-semantics.md#redrive-policy). */
export const MAX_REDRIVE_RECEIVE_COUNT = 1_000;

/**
 * A message's visibility timeout, and its total visibility from one receive, cannot exceed 12 hours
 * (docs/aws-semantics.md#visibility-timeout).
 */
export const MAX_VISIBILITY_SECONDS = 43_200;
/** Queue retention: at least one minute, at most 14 days (docs/aws-semantics.md#retention). */
export const MIN_RETENTION_SECONDS = 60;
export const MAX_RETENTION_SECONDS = 1_209_600;
/**
 * A queue's delivery delay, and a message's own DelaySeconds (standard queues), is at most 15 minutes
 * (docs/aws-semantics.md#delay-seconds).
 */
export const MAX_DELIVERY_DELAY_SECONDS = 900;
/**
 * A message (body and attributes) and a whole SendMessageBatch request are each capped at 1 MiB
 * (docs/aws-semantics.md#message-size).
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/**
 * At most 10 message attributes per message (SNS allows the same for delivery to SQS)
 * (docs/aws-semantics.md#message-attributes).
 */
export const MAX_MESSAGE_ATTRIBUTES = 10;
/**
 * Every SQS and SNS batch API takes at most 10 entries per request, and a receive returns at most 10
 * (docs/aws-semantics.md#batch-requests, docs/aws-semantics.md#sns-publish-batch).
 */
export const MAX_BATCH_ENTRIES = 10;
/**
 * A message move task (native redrive) moves at most 500 messages per second
 * (docs/aws-semantics.md#message-move-tasks).
 */
export const MESSAGE_MOVE_TASK_MAX_RATE = 500;
/**
 * A queue's access policy holds at most 20 statements; each SNS subscription or EventBridge rule that sends to
 * it takes one (docs/aws-semantics.md#queue-policy-statements).
 */
export const MAX_QUEUE_POLICY_STATEMENTS = 20;

// ----- DynamoDB -----

/** A BatchGetItem reads at most 100 items; a BatchWriteItem writes at most 25. */
export const MAX_DYNAMODB_BATCH_GET_ITEMS = 100;
export const MAX_DYNAMODB_BATCH_WRITE_ITEMS = 25;

// ----- SNS -----

/**
 * A message and a whole PublishBatch request are each capped at 256 KB
 * (docs/aws-semantics.md#sns-publish-batch).
 */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

// ----- Lambda -----

/** A function runs for at most 15 minutes (docs/aws-semantics.md#function-limits). */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 900;
/**
 * An SQS event source mapping's batching window is at most 5 minutes
 * (docs/aws-semantics.md#batch-size-and-batching-window).
 */
export const MAX_BATCHING_WINDOW_SECONDS = 300;
/**
 * An SQS event source mapping's batch size is 1 to 10,000 on a standard queue and 1 to 10 on a FIFO queue;
 * above 10 it needs a batching window of at least 1 s (docs/aws-semantics.md#batch-size-and-batching-window).
 */
export const MAX_STANDARD_BATCH_SIZE = 10_000;
export const MAX_FIFO_BATCH_SIZE = 10;
export const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
/** `ScalingConfig.MaximumConcurrency` is 2 to 1,000 (docs/aws-semantics.md#batch-size-and-batching-window). */
export const MIN_MAPPING_CONCURRENCY = 2;
export const MAX_MAPPING_CONCURRENCY = 1_000;
/** Without a maximum, a standard-mode SQS mapping scales to 1,250 invocations (docs/aws-semantics.md#mapping-scaling). */
export const UNCAPPED_MAPPING_CONCURRENCY = 1_250;
/**
 * Provisioned mode: 2 to 200 minimum pollers, at most 2,000 (what CloudFormation accepts), each running up to 10
 * invocations (docs/aws-semantics.md#provisioned-pollers).
 */
export const MIN_PROVISIONED_POLLERS = 2;
export const MAX_MINIMUM_PROVISIONED_POLLERS = 200;
export const MAX_PROVISIONED_POLLERS = 2_000;
export const INVOCATIONS_PER_POLLER = 10;

// ----- CloudWatch -----

/** Alarm names are 1 to 255 characters (docs/aws-semantics.md#alarm-names). */
export const MAX_ALARM_NAME_LENGTH = 255;
/** An alarm takes at most 5 actions per state (docs/aws-semantics.md#actions-per-alarm-state). */
export const MAX_ALARM_ACTIONS = 5;
