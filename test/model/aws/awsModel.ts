/**
 * The AWS-facing side of the model: SDK clients whose `send` is served by model services instead of the
 * network, so the product's own AWS-call layer (batching by 10, Failed[] handling, retries, deadlines)
 * runs unchanged. Each operation is registered against its SDK command class; adding a service (a
 * DynamoDB table for an attempt ledger, say) is a model of its state plus one `register` per operation,
 * see docs/testing.md.
 *
 * Every call passes through the fault plan (throttled, partially failed, slow, hung) and, for a function
 * container that is to be killed, the kill switch; every request is checked against the service's limits
 * before it is served.
 */

/** A registered operation: served from the model's state; may throw an AWS-shaped error. */
export interface Operation<TInput = never, TOutput = unknown> {
  /** `SQS.SendMessageBatch`, `SNS.PublishBatch`, ...: what faults and reports name it by. */
  readonly name: string;
  /** The entries of a batch request, for partial failures (`Failed[]`); none for other requests. */
  readonly entryIds?: (input: TInput) => readonly string[];
  /** Limit problems of the request: each is a violation, and the request is refused as AWS would. */
  readonly problems?: (input: TInput) => RequestProblems;
  serve(input: TInput, call: CallContext): TOutput | Promise<TOutput>;
}

export interface RequestProblems {
  /** Problems that make AWS refuse the whole request (error name, message). */
  readonly request: readonly { readonly code: string; readonly message: string }[];
  /** Problems of single entries (by entry id), which AWS answers in Failed[]. */
  readonly entries: ReadonlyMap<string, { readonly code: string; readonly message: string }>;
}

export const NO_PROBLEMS: RequestProblems = { request: [], entries: new Map() };

/** Who makes a call: one function container (it dies with the container) and what it is running. */
export interface Caller {
  readonly label: string;
  /** A dead caller's calls never answer and change nothing: its process is gone. */
  readonly isDead: () => boolean;
  /** Called once per call the container makes; may kill it there (see KillSwitch). */
  readonly onCall?: (operation: string) => KillDecision | undefined;
}

/** Kill the caller at this call: with the request served first (the answer lost) or not at all. */
export interface KillDecision {
  readonly served: boolean;
}

export interface CallContext {
  readonly caller: Caller;
  /** Entry ids the fault plan fails in this call; the operation must leave them undone. */
  readonly failedEntries: ReadonlySet<string>;
}

export type FaultKind =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'server-error' }
  /** Some entries come back in Failed[] (retryable unless senderFault). */
  | { readonly kind: 'partial'; readonly senderFault: boolean }
  /** Served at once, answered `ms` later. */
  | { readonly kind: 'slow'; readonly ms: number }
  /** Never answered; served first or not at all. */
  | { readonly kind: 'hung'; readonly served: boolean };

export interface ArmedFault {
  /** Operation name, optionally with the target (`SQS.SendMessageBatch@dlq`). */
  readonly operation: string;
  readonly fault: FaultKind;
  remaining: number;
}

export interface CallRecord {
  readonly operation: string;
  readonly caller: string;
  readonly startedAt: number;
  /** The fault that delayed or withheld the answer, if any. */
  readonly delayedBy: 'slow' | 'hung' | undefined;
  /** The fault the plan applied to it, of any kind (a throttle, a server error, `Failed[]` entries, ...). */
  readonly faultedBy: FaultKind['kind'] | undefined;
  answeredAt: number | undefined;
}

export interface Violation {
  readonly invariant: string;
  readonly at: number;
  readonly message: string;
}

export interface AwsModelHooks {
  now(): number;
  random(): number;
  sleep(ms: number): Promise<void>;
  /** Something observable happened (the clock settles until nothing does). */
  touch(): void;
  violation(invariant: string, message: string): void;
}

type CommandClass = abstract new (...args: never[]) => { input: unknown };

export class AwsModel {
  readonly #operations = new Map<unknown, Operation<never>>();
  readonly faults: ArmedFault[] = [];
  readonly calls: CallRecord[] = [];
  readonly #hooks: AwsModelHooks;
  /** Which target a request is aimed at, for faults aimed at one queue or topic (`@dlq`). */
  readonly #targetOf: (input: unknown) => string | undefined;

  constructor(hooks: AwsModelHooks, targetOf: (input: unknown) => string | undefined) {
    this.#hooks = hooks;
    this.#targetOf = targetOf;
  }

  register<TInput>(command: CommandClass, operation: Operation<TInput>): void {
    this.#operations.set(command, operation as unknown as Operation<never>);
  }

  /** An SDK client (any service) for one caller; cast it to the client type the product expects. */
  client<TClient>(caller: Caller): TClient {
    return {
      send: (command: { input: unknown; constructor: unknown }) => this.#dispatch(caller, command),
      destroy: () => {},
      config: {},
      middlewareStack: { add: () => {}, use: () => {} },
    } as unknown as TClient;
  }

  arm(operation: string, fault: FaultKind, count: number): void {
    this.faults.push({ operation, fault, remaining: count });
  }

  disarmAll(): void {
    this.faults.length = 0;
  }

  /** Calls of one caller still waiting for an answer that a fault delayed or withheld. */
  delayedCallsInFlight(caller: string): CallRecord[] {
    return this.calls.filter(
      (call) => call.caller === caller && call.answeredAt === undefined && call.delayedBy !== undefined,
    );
  }

  async #dispatch(caller: Caller, command: { input: unknown; constructor: unknown }): Promise<unknown> {
    const operation = this.#operations.get(command.constructor);
    if (operation === undefined)
      throw new Error(`The model serves no ${String((command.constructor as { name?: string }).name)}`);
    const hooks = this.#hooks;
    const input = command.input as never;
    if (caller.isDead()) return never();
    hooks.touch();
    const kill = caller.onCall?.(operation.name);
    const target = this.#targetOf(input);
    const fault = kill === undefined ? this.#takeFault(operation.name, target) : undefined;
    const record: CallRecord = {
      operation: target === undefined ? operation.name : `${operation.name}@${target}`,
      caller: caller.label,
      startedAt: hooks.now(),
      delayedBy: fault?.kind === 'slow' || fault?.kind === 'hung' ? fault.kind : undefined,
      faultedBy: fault?.kind,
      answeredAt: undefined,
    };
    this.calls.push(record);

    const problems = operation.problems?.(input) ?? NO_PROBLEMS;
    for (const problem of problems.request)
      hooks.violation('request-within-limits', `${operation.name} by ${caller.label}: ${problem.message}`);
    for (const [id, problem] of problems.entries)
      hooks.violation(
        'request-within-limits',
        `${operation.name} by ${caller.label}, entry ${id}: ${problem.message}`,
      );

    const serve = async () => {
      const refused = problems.request[0];
      if (refused !== undefined) throw serviceError(refused.code, refused.message, 'client');
      if (fault?.kind === 'throttle')
        throw serviceError('ThrottlingException', 'Rate exceeded', 'client', 400);
      if (fault?.kind === 'server-error')
        throw serviceError('InternalFailure', 'We encountered an internal error', 'server', 500);
      const failed = new Set(problems.entries.keys());
      if (fault?.kind === 'partial') for (const id of this.#someEntries(operation, input)) failed.add(id);
      const output = await operation.serve(input, { caller, failedEntries: failed });
      return withFailedEntries(output, failed, problems, fault);
    };

    if (kill !== undefined) {
      if (kill.served) await serve().catch(() => undefined);
      return never();
    }
    if (fault?.kind === 'hung') {
      if (fault.served) await serve().catch(() => undefined);
      return never();
    }
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await serve() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (fault?.kind === 'slow') await hooks.sleep(fault.ms);
    // The process may have died while the answer was on its way.
    if (caller.isDead()) return never();
    record.answeredAt = hooks.now();
    hooks.touch();
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  #takeFault(operation: string, target: string | undefined): FaultKind | undefined {
    const armed = this.faults.find(
      (fault) =>
        fault.remaining > 0 &&
        (fault.operation === operation || fault.operation === `${operation}@${target}`),
    );
    if (armed === undefined) return undefined;
    armed.remaining -= 1;
    if (armed.remaining === 0) this.faults.splice(this.faults.indexOf(armed), 1);
    return armed.fault;
  }

  /** A non-empty, seeded choice of a batch's entries to fail. */
  #someEntries(operation: Operation<never>, input: never): string[] {
    const ids = operation.entryIds?.(input) ?? [];
    if (ids.length === 0) return [];
    const chosen = ids.filter(() => this.#hooks.random() < 0.5);
    return chosen.length > 0 ? chosen : [ids[Math.floor(this.#hooks.random() * ids.length)] as string];
  }
}

/**
 * Moves entries the fault plan or the limits failed from `Successful` to `Failed`. Operations leave failed
 * entries undone and out of `Successful`; this adds their `Failed[]` entries.
 */
function withFailedEntries(
  output: unknown,
  failed: ReadonlySet<string>,
  problems: RequestProblems,
  fault: FaultKind | undefined,
): unknown {
  // Only the SQS and SNS batch answers have Successful/Failed; another service answers failed entries its
  // own way (DynamoDB's UnprocessedItems) in its `serve`.
  if (failed.size === 0 || typeof output !== 'object' || output === null || !('Successful' in output))
    return output;
  const senderFault = fault?.kind === 'partial' ? fault.senderFault : false;
  const entries = [...failed].map((id) => {
    const problem = problems.entries.get(id);
    return problem === undefined
      ? {
          Id: id,
          Code: senderFault ? 'InvalidParameterValue' : 'InternalError',
          Message: senderFault ? 'refused (simulated)' : 'internal error (simulated)',
          SenderFault: senderFault,
        }
      : { Id: id, Code: problem.code, Message: problem.message, SenderFault: true };
  });
  return { ...output, Failed: [...((output as { Failed?: unknown[] }).Failed ?? []), ...entries] };
}

/** An error shaped like the SDK's service exceptions, which the product classifies by name and fault. */
export function serviceError(
  name: string,
  message: string,
  fault: 'client' | 'server',
  status = fault === 'server' ? 500 : 400,
): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

/** A promise that never settles: a call whose answer never comes. */
function never(): Promise<never> {
  return new Promise<never>(() => {});
}
