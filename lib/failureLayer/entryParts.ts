import type { PartsForFailureLayer as Parts } from './partsForFailureLayer.js';

/*
 * The failure layer's view of what it takes from the entry (partsForFailureLayer.ts says why it does not
 * import them). The bindings are set once, by receiveEntryParts, before any of the layer's functions is
 * called: loadFailureLayer.ts does it as it loads the layer (tests that call the layer's files directly
 * do it in their set-up). Nothing may read them while modules are being evaluated.
 */
export let BATCH_CONFIG_DEFAULTS: Parts['BATCH_CONFIG_DEFAULTS'];
export let METRIC: Parts['METRIC'];
export let limits: Parts['limits'];
export let errors: Parts['errors'];
export let safeText: Parts['safeText'];
export let receiveCountOf: Parts['receiveCountOf'];
export let sentTimestampOf: Parts['sentTimestampOf'];
export let firstReceiveTimestampOf: Parts['firstReceiveTimestampOf'];
export let unusableAttributes: Parts['unusableAttributes'];
export let deadLetterReason: Parts['deadLetterReason'];
export let needsRedelivery: Parts['needsRedelivery'];
export let outcomeEventType: Parts['outcomeEventType'];
export let callbackTopicFor: Parts['callbackTopicFor'];
export let freshHistory: Parts['freshHistory'];
export let withAttempt: Parts['withAttempt'];
export let withNotAttempted: Parts['withNotAttempted'];
export let isoTime: Parts['isoTime'];
export let parseAttemptHistory: Parts['parseAttemptHistory'];
export let encodeFailureMetadata: Parts['encodeFailureMetadata'];
export let encodeHistoryAttribute: Parts['encodeHistoryAttribute'];
export let HISTORY_ATTRIBUTE: Parts['HISTORY_ATTRIBUTE'];
export let toSdkAttributes: Parts['toSdkAttributes'];
export let queueUrlFromArn: Parts['queueUrlFromArn'];
export let sendMessages: Parts['sendMessages'];
export let changeVisibility: Parts['changeVisibility'];
export let publishNotifications: Parts['publishNotifications'];
export let notificationBytes: Parts['notificationBytes'];
export let batchGetItems: Parts['batchGetItems'];
export let batchPutItems: Parts['batchPutItems'];

export function receiveEntryParts(parts: Parts): void {
  ({
    BATCH_CONFIG_DEFAULTS,
    METRIC,
    limits,
    errors,
    safeText,
    receiveCountOf,
    sentTimestampOf,
    firstReceiveTimestampOf,
    unusableAttributes,
    deadLetterReason,
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
  } = parts);
}
