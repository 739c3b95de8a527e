import { PermanentError, type SqsRecord } from '../../lib/index.js';

/**
 * Fault injection for demos and tests, off unless WORKER_FAULT_INJECTION=enabled. A message asks for a
 * fault in its `fault` string attribute:
 *
 * - `transient[:N]`  every call fails during its first N deliveries (default 1), then succeeds
 * - `flaky[:N]`      the first N calls of each delivery fail (default 1): in-invocation retry heals it
 * - `permanent`      fails with a PermanentError (never retried; dead-lettered when routing is on)
 * - `slow[:ms[:N]]`  waits ms (default 5000) without heeding the abort signal: runs into the time budget;
 *                    with N, only during its first N deliveries
 * - `block[:ms[:N]]` busy-waits ms (default 5000), freezing the event loop: runs past the function timeout;
 *                    with N, only during its first N deliveries
 *
 * A delivery's number is the larger of its attempt number (which redelivery copies carry, and which a
 * receive count restarted by a copy would lose) and its receive count (which alone grows when the
 * invocation never reports, and when no count is kept).
 *
 * Kept apart from the task logic so that removing it is deleting this file and the `injectFaults` lines in
 * handler.ts.
 */
export const FAULT_ATTRIBUTE = 'fault';

export class InjectedTransientError extends Error {
  override name = 'InjectedTransientError';
}

export class InjectedPermanentError extends PermanentError {
  override name = 'InjectedPermanentError';
}

export interface FaultSpec {
  readonly kind: 'transient' | 'flaky' | 'permanent' | 'slow' | 'block';
  readonly amount: number | undefined;
  /** slow and block: only during the first this-many receives. */
  readonly receives: number | undefined;
}

const KINDS = new Set<FaultSpec['kind']>(['transient', 'flaky', 'permanent', 'slow', 'block']);

export function faultInjectionEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WORKER_FAULT_INJECTION === 'enabled';
}

/** Reads the fault a record asks for; undefined when none or when the attribute is not understood. */
export function readFault(record: SqsRecord): FaultSpec | undefined {
  const value = record.messageAttributes[FAULT_ATTRIBUTE]?.stringValue;
  if (value === undefined) return undefined;
  const [kind, amountText, receivesText] = value.split(':');
  if (!KINDS.has(kind as FaultSpec['kind'])) return undefined;
  return {
    kind: kind as FaultSpec['kind'],
    amount: finiteOrUndefined(amountText),
    receives: finiteOrUndefined(receivesText),
  };
}

function finiteOrUndefined(text: string | undefined): number | undefined {
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Throws or delays as the record's fault asks. */
export async function applyFault(
  fault: FaultSpec,
  record: SqsRecord,
  { attempt, call }: { readonly attempt: number; readonly call: number },
): Promise<void> {
  const delivery = Math.max(attempt, Number(record.attributes.ApproximateReceiveCount));
  if (fault.receives !== undefined && delivery > fault.receives) return;
  switch (fault.kind) {
    case 'transient': {
      const deliveries = fault.amount ?? 1;
      if (delivery <= deliveries) {
        throw new InjectedTransientError(
          `injected transient fault (fails during its first ${deliveries} deliveries)`,
        );
      }
      return;
    }
    case 'flaky':
      if (call <= (fault.amount ?? 1))
        throw new InjectedTransientError(`injected flaky fault (call ${call})`);
      return;
    case 'permanent':
      throw new InjectedPermanentError('injected permanent fault');
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.amount ?? 5_000));
      return;
    case 'block': {
      const until = Date.now() + (fault.amount ?? 5_000);
      while (Date.now() < until) {
        // Deliberately blocking: nothing can interrupt this but the Lambda timeout.
      }
      return;
    }
  }
}
