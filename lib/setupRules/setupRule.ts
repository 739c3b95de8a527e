import type { ConsumerSetup } from './consumerSetup.js';

/**
 * - `error`: messages are lost, or dead-lettered without being processed; the construct refuses to synthesize.
 * - `warning`: messages wait, or nobody hears of them; the construct synthesizes and says so.
 */
export type SetupSeverity = 'error' | 'warning';

/**
 * One rule about a consumer's setup: what must hold, why a setup that breaks it loses or delays messages (the
 * AWS behaviour, in docs/aws-semantics.md), and, for each violation, the construct prop to change.
 *
 * @example
 * const findings = SETUP_RULES.flatMap((rule) => findingsOf(rule, setup));
 */
export interface SetupRule {
  /** Stable, kebab-case: shown in findings, accepted by tools that silence a rule. */
  readonly id: string;
  readonly severity: SetupSeverity;
  /** What must hold, in one line. */
  readonly summary: string;
  /** Why a setup that breaks it loses or delays messages. */
  readonly why: string;
  /** The AWS rule it rests on: `docs/aws-semantics.md#<anchor>`. */
  readonly reference: string;
  /** The violations in this setup; empty when the rule holds or its inputs are not known. */
  check(setup: ConsumerSetup): readonly RuleViolation[];
}

/** One way a setup breaks a rule, with the change that fixes it. */
export interface RuleViolation {
  /** The construct prop to change, as written in FailsafeConsumerProps (`circuitBreaker.cooldown`). */
  readonly prop: string;
  /** Its value now, in a person's units. */
  readonly value: string;
  /** What is wrong in this setup, with its numbers. */
  readonly problem: string;
  /** The change that fixes it, in construct props. */
  readonly fix: string;
}

/** A violation with its rule: what the construct and `doctor` report. */
export interface SetupFinding extends RuleViolation {
  readonly rule: string;
  readonly severity: SetupSeverity;
  readonly why: string;
  readonly reference: string;
}

/** The findings of one rule on one setup. */
export function findingsOf(rule: SetupRule, setup: ConsumerSetup): SetupFinding[] {
  return rule.check(setup).map((violation) => ({
    ...violation,
    rule: rule.id,
    severity: rule.severity,
    why: rule.why,
    reference: rule.reference,
  }));
}

/** A positive whole number or zero: what a rule compares; anything else is reported by range checks first. */
export function isKnown(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}
