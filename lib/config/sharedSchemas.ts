import * as v from 'valibot';
import { nonDecreasing } from './schemaPredicates.js';
import { integerIn } from './schemaProblems.js';

/**
 * Schemas more than one configuration uses, so each is held to the same rule with the same message. Built
 * on call: a module-level schema is built by every cold start that imports this module.
 */

const SQS_QUEUE_URL = /^https?:\/\/[^\s/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const queueUrlSchema = () =>
  v.pipe(
    v.string('must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)'),
    v.regex(SQS_QUEUE_URL, 'must be an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)'),
  );

export const topicArnSchema = () =>
  v.pipe(
    v.string('must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)'),
    v.regex(SNS_TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)'),
  );

export const versionSchema = () => v.optional(v.literal(1, 'must be 1 (the only configuration version)'));

/** A schedule of waits: non-empty, each in range, never shorter than the one before (a backoff). */
export function scheduleSchema(unit: string, max: number) {
  const each = `each an integer from 0 to ${max} ${unit}`;
  return v.pipe(
    v.array(integerIn(0, max), `must be a list of delays, ${each}`),
    v.minLength(1, 'must list at least one delay'),
    v.maxLength(999, 'must list at most 999 delays'),
    v.check(nonDecreasing, 'must not decrease: each delay must be >= the one before'),
  );
}
