import type { SetupFinding } from '../../../lib/setupRules/setupRule.js';
import type { SettingProblem } from './InvalidConsumerSettingsError.js';

/** A finding in the words of the construct's errors: the prop, its value, what is wrong, the fix and why. */
function explanation(finding: SetupFinding): string {
  return `${finding.problem}; ${finding.fix}. Otherwise ${finding.why} (${finding.reference}, rule ${finding.rule})`;
}

/** An error finding as one of the construct's problems, listed with the others. */
export function findingAsProblem(finding: SetupFinding): SettingProblem {
  return { prop: finding.prop, value: finding.value, allowed: explanation(finding), rule: finding.rule };
}

/** A warning finding as the text of a synth-time warning (its id is `sqs-failsafe:<rule>`). */
export function findingAsWarning(finding: SetupFinding): string {
  return `${finding.prop} = ${finding.value}: ${explanation(finding)}.`;
}
