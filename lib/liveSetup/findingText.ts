import type { SetupFinding } from '../setupRules/setupRule.js';

/** A finding with what it is about and the change for those who do not use the construct. */
export interface ExplainedFinding extends SetupFinding {
  /** What the finding is about, as a person names it: `orders (work queue)`. */
  readonly subject: string;
  /** The console or AWS CLI change; undefined when there is none to suggest. */
  readonly awsFix?: string | undefined;
}

/**
 * A finding as `sqs-failsafe doctor` prints it, and as the deploy-time check of adopted queues fails a
 * deployment with it: what is wrong, why it loses or delays messages (the AWS rule), and the fix, as a
 * construct prop and as the console or CLI change.
 *
 * @example
 * findingLines(finding).join('\n')
 * // ERROR visibility-timeout-covers-invocations: orders (work queue)
 * //   what: visibilityTimeout = 30 s: below 3 min (180 s) (6 × function timeout 30 s + maxBatchingWindow 0 s)
 * //   ...
 */
export function findingLines(finding: ExplainedFinding): string[] {
  return [
    `${finding.severity.toUpperCase()} ${finding.rule}: ${finding.subject}`,
    `  what: ${finding.prop} = ${finding.value}: ${finding.problem}`,
    `  why: ${finding.why} (${finding.reference})`,
    `  fix with FailsafeConsumer: ${finding.fix}`,
    ...(finding.awsFix === undefined ? [] : [`  fix in AWS: ${finding.awsFix}`]),
  ];
}
