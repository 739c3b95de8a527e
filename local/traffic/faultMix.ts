/**
 * `--faults transient=0.1,permanent=0.02,slow=0.01,...`: the share of demo messages that ask the worker for
 * each fault (through its fault-injection switch), and the rates the AWS fault proxy injects.
 */
export interface FaultMix {
  /** Per message fault kind, the share of messages (they add up to at most 1). */
  readonly messages: Readonly<Record<MessageFault, number>>;
  readonly snsPublishFailure: number;
  readonly sqsThrottle: number;
}

export type MessageFault = 'transient' | 'flaky' | 'permanent' | 'slow' | 'timeout';

const MESSAGE_FAULTS: readonly MessageFault[] = ['transient', 'flaky', 'permanent', 'slow', 'timeout'];
const ENVIRONMENT_FAULTS = { sns: 'snsPublishFailure', throttle: 'sqsThrottle' } as const;

export const FAULT_HELP =
  'transient (fails its first 2 deliveries), flaky (fails its first call), permanent, slow (runs past the ' +
  'time budget on its first receive), timeout (blocks past the function timeout on its first receive), ' +
  'sns (SNS publish failure rate), throttle (SQS throttling rate)';

export const NO_FAULTS: FaultMix = {
  messages: { transient: 0, flaky: 0, permanent: 0, slow: 0, timeout: 0 },
  snsPublishFailure: 0,
  sqsThrottle: 0,
};

export class FaultMixError extends Error {
  override name = 'FaultMixError';
}

export function parseFaultMix(spec: string): FaultMix {
  const messages: Record<MessageFault, number> = { ...NO_FAULTS.messages };
  const environment = { snsPublishFailure: 0, sqsThrottle: 0 };
  const problems: string[] = [];
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [key = '', value] = part.split('=');
    const rate = Number(value);
    if (value === undefined || !Number.isFinite(rate) || rate < 0 || rate > 1) {
      problems.push(`"${part}": the rate must be a number from 0 to 1, as in ${key || 'transient'}=0.05`);
      continue;
    }
    if ((MESSAGE_FAULTS as readonly string[]).includes(key)) messages[key as MessageFault] = rate;
    else if (key in ENVIRONMENT_FAULTS)
      environment[ENVIRONMENT_FAULTS[key as keyof typeof ENVIRONMENT_FAULTS]] = rate;
    else problems.push(`"${key}" is not a fault; known faults: ${FAULT_HELP}`);
  }
  const share = Object.values(messages).reduce((sum, rate) => sum + rate, 0);
  if (share > 1)
    problems.push(`the message faults add up to ${share.toFixed(3)}; they must add up to at most 1`);
  if (problems.length > 0)
    throw new FaultMixError(`Invalid --faults:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  return { messages, ...environment };
}

/** The worker's fault attribute value for a message fault, given the function's timeout. */
export function faultAttribute(fault: MessageFault, functionTimeoutSeconds: number): string {
  switch (fault) {
    case 'transient':
      return 'transient:2';
    case 'flaky':
      return 'flaky:1';
    case 'permanent':
      return 'permanent';
    case 'slow':
      // Longer than the time budget (the function timeout minus the safety margin), first receive only.
      return `slow:${functionTimeoutSeconds * 1_000}:1`;
    case 'timeout':
      return `block:${(functionTimeoutSeconds + 2) * 1_000}:1`;
  }
}
