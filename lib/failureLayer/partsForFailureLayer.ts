import {
  freshHistory,
  isoTime,
  MAX_ENTRY_ERROR_CHARS,
  withAttempt,
  withNotAttempted,
} from '../attempts/attemptHistory.js';
import { deliveryKind } from '../attempts/deliveryKind.js';
import { parseAttemptHistory } from '../attempts/parseAttemptHistory.js';
import { batchGetItems, batchPutItems } from '../aws/dynamoDbBatchApi.js';
import { toSdkAttributes } from '../aws/eventAttributes.js';
import { queueUrlFromArn } from '../aws/queueUrl.js';
import {
  MAX_BATCHING_WINDOW_SECONDS,
  MAX_DELIVERY_DELAY_SECONDS,
  MAX_FUNCTION_TIMEOUT_SECONDS,
  MAX_VISIBILITY_SECONDS,
  SNS_MAX_MESSAGE_BYTES,
} from '../aws/serviceLimits.js';
import { notificationBytes, publishNotifications } from '../aws/snsBatchApi.js';
import { changeVisibility, sendMessages } from '../aws/sqsBatchApi.js';
import { BATCH_CONFIG_DEFAULTS } from '../config/batchConfig.js';
import { deadLetterReason } from '../deadLetter/deadLetterReason.js';
import {
  encodeFailureMetadata,
  encodeHistoryAttribute,
  HISTORY_ATTRIBUTE,
  MAX_NAME_CHARS,
} from '../deadLetter/failureMetadata.js';
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
 * What the failure layer (failureLayer.ts, loaded with `import()`) uses of the code the entry holds
 * anyway: error classes, configuration defaults, record attributes, metric names, the text sanitiser, the
 * stages' own checks, AWS limits, and the AWS call layer and history format that the redrive engine, the
 * CLI and the redrive function share. The layer receives them as this object when it is loaded
 * (entryParts.ts) instead of importing them: esbuild puts a module that both the entry and a lazy chunk
 * import into a chunk of its own that the entry imports statically, and that extra file costs a cold
 * start more than the lazy chunk saves (docs/benchmarks.md, issue 16). So a module imported here must
 * never be imported by the layer's own files; only their types may be.
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
  parseAttemptHistory,
  encodeFailureMetadata,
  encodeHistoryAttribute,
  HISTORY_ATTRIBUTE,
  toSdkAttributes,
  queueUrlFromArn,
  sendMessages,
  changeVisibility,
  publishNotifications,
  notificationBytes,
  batchGetItems,
  batchPutItems,
};

export type PartsForFailureLayer = typeof PARTS_FOR_FAILURE_LAYER;
