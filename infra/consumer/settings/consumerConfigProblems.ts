import { batchConfigProblems } from '../../../lib/config/batchConfigCheck.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { IDEMPOTENCY_CONFIG_NAMES } from '../idempotency/idempotencySettings.js';
import { type ConsumerAddresses, consumerBatchConfig } from './consumerBatchConfig.js';
import type { ConsumerSettings } from './consumerSettings.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';
import { settingProblemsFrom } from './settingProblemsFrom.js';
import { isNotAboutAToken, withTokenStandIns } from './tokenStandIns.js';

/** Stand-ins for the resources the construct creates: valid by construction, so only the settings are judged. */
function standInAddresses(props: FailsafeConsumerProps, fifo: boolean): ConsumerAddresses {
  return {
    deadLetterQueueUrl: `https://sqs.us-east-1.amazonaws.com/111122223333/dead-letters${fifo ? '.fifo' : ''}`,
    topicArn: props.topic?.topicArn ?? 'arn:aws:sns:us-east-1:111122223333:outcomes',
    attemptLedgerTableName: 'attempt-ledger',
    idempotencyTableName: props.idempotency === undefined ? undefined : 'idempotency-table',
  };
}

/**
 * What the consumer would refuse at cold start: the runtime's own schema (batchConfigProblems, which
 * readBatchConfig applies) run on the configuration the construct writes into SQS_FAILSAFE_CONFIG, and on
 * `failsafe` as given (so that what completing it would hide, such as a schedule mixed with exponential
 * fields, is reported too). Each problem names the prop it came from: `failsafe.*`, `idempotency.*`, `topic`.
 */
export function consumerConfigProblems(
  props: FailsafeConsumerProps,
  settings: ConsumerSettings,
): SettingProblem[] {
  const addresses = standInAddresses(props, settings.fifo);
  const written = consumerBatchConfig(props, settings, addresses);
  const given =
    typeof props.failsafe === 'object' && props.failsafe !== null && !Array.isArray(props.failsafe)
      ? {
          ...props.failsafe,
          deadLetter: { ...props.failsafe.deadLetter, queueUrl: addresses.deadLetterQueueUrl },
          notifications: { ...props.failsafe.notifications, topicArn: addresses.topicArn },
          attemptLedger: { tableName: addresses.attemptLedgerTableName },
        }
      : props.failsafe;
  const lines = [
    ...new Set([
      ...batchConfigProblems(withTokenStandIns(written)),
      ...(given === undefined ? [] : batchConfigProblems(withTokenStandIns(given))),
    ]),
  ].filter(isNotAboutAToken);
  return lines.flatMap((line) => problemOf(line, props));
}

function problemOf(line: string, props: FailsafeConsumerProps): SettingProblem[] {
  const path = line.slice(0, line.indexOf(':'));
  const as = (prop: string, value: unknown) =>
    settingProblemsFrom('', { [prop]: value }, [`${prop}${line.slice(path.length)}`]);
  if (path === 'idempotency' || path.startsWith('idempotency.')) {
    return settingProblemsFrom('', { idempotency: props.idempotency }, [line], {
      idempotency: ['idempotency', IDEMPOTENCY_CONFIG_NAMES],
    });
  }
  if (path === 'notifications.topicArn') return as('topic', props.topic?.topicArn);
  // `options: ...` is said of the configuration itself: failsafe is not an object.
  if (path === 'options') return as('failsafe', props.failsafe);
  return settingProblemsFrom('failsafe', props.failsafe, [line]);
}
