import { deliveryKind } from '../attempts/deliveryKind.js';
import {
  MAX_BATCHING_WINDOW_SECONDS,
  MAX_DELIVERY_DELAY_SECONDS,
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_VISIBILITY_SECONDS,
  SNS_MAX_MESSAGE_BYTES,
} from '../aws/serviceLimits.js';
import { BATCH_CONFIG_DEFAULTS } from '../config/batchConfig.js';
import { deadLetterReason } from '../deadLetter/deadLetterReason.js';
import {
  DeadLetterRoutingError,
  DependencyError,
  DuplicateInProgressError,
  MalformedRecordError,
  toError,
} from '../errors.js';
import {
  firstReceiveTimestampOf,
  receiveCountOf,
  sentTimestampOf,
  unusableAttributes,
} from '../event/recordAttributes.js';
import { callbackTopicFor } from '../events/callbackTopic.js';
import { outcomeEventType } from '../events/outcomeEventType.js';
import { METRIC } from '../metrics/metricNames.js';
import { needsRedelivery } from '../redelivery/needsRedelivery.js';

/**
 * What the failure layer (failureLayer.ts, loaded with `import()`) takes from the code the entry holds:
 * error classes, configuration defaults, record attributes, metric names, the stages' own checks. The
 * layer receives them as this object when it is loaded (entryParts.ts) instead of importing them, because
 * the functions the product deploys bundle the layer apart from the entry (infra/bundling/bundleLambda.ts),
 * and whatever the layer imports is copied into its file: an error class copied there would no longer be
 * the class the entry checks with `instanceof`. So a module imported here must never be imported by the
 * layer's own files; only their types may be (AWS limits excepted: constants, which esbuild writes inline).
 *
 * What the layer does import itself (the AWS call layer, the attempt history format, the text sanitiser)
 * holds nothing whose identity matters; test/infra/bundling.test.ts lists which of those modules the
 * layer may hold a copy of. A user's own bundler that splits one build puts those shared modules into a
 * small chunk the entry imports statically: a cold start reads one more file than with bundleLambda.
 */
export const PARTS_FOR_FAILURE_LAYER = {
  BATCH_CONFIG_DEFAULTS,
  METRIC,
  /** AWS limits (serviceLimits.ts). */
  limits: {
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_DELIVERY_DELAY_SECONDS,
    MAX_FUNCTION_TIMEOUT_SECONDS,
    MAX_VISIBILITY_SECONDS,
    SNS_MAX_MESSAGE_BYTES,
  },
  errors: { DeadLetterRoutingError, DependencyError, DuplicateInProgressError, MalformedRecordError },
  /** Makes a FailsafeError of a thrown non-error: the entry's class. */
  toError,
  receiveCountOf,
  sentTimestampOf,
  firstReceiveTimestampOf,
  unusableAttributes,
  deadLetterReason,
  deliveryKind,
  needsRedelivery,
  outcomeEventType,
  callbackTopicFor,
};

export type PartsForFailureLayer = typeof PARTS_FOR_FAILURE_LAYER;
