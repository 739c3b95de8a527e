import {
  freshHistory,
  isoTime,
  MAX_ENTRY_ERROR_CHARS,
  withAttempt,
  withNotAttempted,
} from '../attempts/attemptHistory.js';
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
import { MAX_NAME_CHARS } from '../deadLetter/failureMetadata.js';
import { DeadLetterRoutingError, MalformedRecordError } from '../errors.js';
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
import { safeText } from '../text/safeText.js';

/**
 * What the failure layer (failureLayer.ts, loaded with `import()`) takes from the code the entry holds
 * anyway: error classes, configuration defaults, record attributes, metric names, the text sanitiser, the
 * stages' own checks, AWS limits. The layer receives them as this object when it is loaded
 * (entryParts.ts) instead of importing them, for two reasons:
 * - where the layer is bundled apart from the entry (infra/bundling/bundleLambda.ts, every function the
 *   product deploys), whatever it imports is copied into its own file: an error class copied there would
 *   no longer be the class the entry checks with `instanceof`, and configuration defaults would bring the
 *   configuration schemas (valibot) with them;
 * - where a user's own bundler splits one build, a module that both the entry and the layer import
 *   becomes a chunk that the entry imports statically, and an extra file costs a cold start more than the
 *   lazy chunk saves (docs/benchmarks.md, issue 16).
 * So a module imported here must never be imported by the layer's own files; only their types may be.
 * The AWS call layer and the attempt history format, which only the failure paths use in a consumer (and
 * the redrive engine and the CLI use too), the layer imports itself.
 */
export const PARTS_FOR_FAILURE_LAYER = {
  BATCH_CONFIG_DEFAULTS,
  METRIC,
  /** AWS limits (serviceLimits.ts) and the lengths error texts are cut to. */
  limits: {
    MAX_BATCHING_WINDOW_SECONDS,
    MAX_DELIVERY_DELAY_SECONDS,
    MAX_FUNCTION_TIMEOUT_SECONDS,
    MAX_VISIBILITY_SECONDS,
    SNS_MAX_MESSAGE_BYTES,
    MAX_NAME_CHARS,
    MAX_ENTRY_ERROR_CHARS,
  },
  errors: { DeadLetterRoutingError, MalformedRecordError },
  safeText,
  receiveCountOf,
  sentTimestampOf,
  firstReceiveTimestampOf,
  unusableAttributes,
  deadLetterReason,
  deliveryKind,
  needsRedelivery,
  outcomeEventType,
  callbackTopicFor,
  freshHistory,
  withAttempt,
  withNotAttempted,
  isoTime,
};

export type PartsForFailureLayer = typeof PARTS_FOR_FAILURE_LAYER;
