import type { AwsClients, LambdaContextLike } from '../../../lib/index.js';
import { Container, type Invocation, type InvocationStatus, type KillPlan } from './functionContainers.js';

/** What the Lambda service needs from the rest of the world. */
export interface LambdaRuntimeHooks {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Something observable happened. */
  touch(): void;
  /** SDK clients served by the model, for one container. */
  clients(container: Container): AwsClients;
  /** The calls of a caller still waiting for an answer a fault delayed or withheld. */
  delayedCalls(callerLabel: string): string[];
  /** An invocation ended (returned, threw, crashed or timed out). */
  ended(invocation: Invocation): void;
  /** An invocation reached its timeout; called before `ended`. */
  timedOut(invocation: Invocation): void;
}

/**
 * The Lambda service: containers and their invocations, each with its timeout (the container dies with
 * it), crashes, and the queue of asynchronous invocations that waits while a function with reserved
 * concurrency is at its limit.
 */
export class LambdaRuntime {
  readonly invocations: Invocation[] = [];
  readonly #containers: Container[] = [];
  readonly #byLabel = new Map<string, Container>();
  readonly #waiting = new Map<string, (() => void)[]>();
  readonly #hooks: LambdaRuntimeHooks;
  #nextInvocation = 1;
  #nextContainer = 1;

  constructor(hooks: LambdaRuntimeHooks) {
    this.#hooks = hooks;
  }

  newContainer(functionName: string): Container {
    const container = new Container(this.#nextContainer++, functionName, (invocation) =>
      this.kill(invocation),
    );
    this.#containers.push(container);
    this.#byLabel.set(container.caller.label, container);
    return container;
  }

  /** A warm container of the function that is neither busy nor dead, if there is one. */
  freeContainer(functionName: string): Container | undefined {
    return this.#containers.find(
      (container) => container.functionName === functionName && !container.dead && !container.busy,
    );
  }

  /** The container behind an AWS caller label. */
  byLabel(label: string): Container | undefined {
    return this.#byLabel.get(label);
  }

  clients(container: Container): AwsClients {
    return this.#hooks.clients(container);
  }

  running(functionName?: string): Invocation[] {
    return this.invocations.filter(
      (invocation) =>
        invocation.status === 'running' &&
        (functionName === undefined || invocation.functionName === functionName),
    );
  }

  invoke(
    container: Container,
    timeoutSeconds: number,
    kill: KillPlan | undefined,
    run: (context: LambdaContextLike) => Promise<unknown>,
  ): Invocation {
    const hooks = this.#hooks;
    const id = this.#nextInvocation++;
    const startedAt = hooks.now();
    const timeoutAt = startedAt + timeoutSeconds * 1_000;
    const invocation: Invocation = {
      id,
      functionName: container.functionName,
      container,
      startedAt,
      timeoutAt,
      kill,
      calls: 0,
      status: 'running',
      endedAt: undefined,
      result: undefined,
      delayedCallsAtTimeout: [],
      context: {
        functionName: container.functionName,
        functionVersion: '$LATEST',
        awsRequestId: `request-${id}`,
        invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${container.functionName}`,
        getRemainingTimeInMillis: () => Math.max(0, timeoutAt - hooks.now()),
      },
    };
    container.invocation = invocation;
    this.invocations.push(invocation);
    hooks.touch();
    void hooks.sleep(timeoutSeconds * 1_000).then(() => {
      if (invocation.status !== 'running') return;
      container.dead = true;
      invocation.delayedCallsAtTimeout = hooks.delayedCalls(container.caller.label);
      hooks.timedOut(invocation);
      this.#end(invocation, 'timed-out', undefined);
    });
    Promise.resolve()
      .then(() => run(invocation.context))
      .then(
        (result) => this.#end(invocation, 'returned', result),
        (error: unknown) => this.#end(invocation, 'threw', error),
      );
    return invocation;
  }

  /**
   * An asynchronous invocation (alarm action, schedule, self-invocation): it waits in Lambda's queue while
   * the function is at its reserved concurrency, and starts when one of its invocations ends.
   */
  invokeAsync(functionName: string, reserved: number | undefined, start: () => void): void {
    if (reserved === undefined || this.running(functionName).length < reserved) {
      start();
      return;
    }
    const waiting = this.#waiting.get(functionName) ?? [];
    waiting.push(start);
    this.#waiting.set(functionName, waiting);
  }

  /** The process died (a crash, or the kill plan at one of its AWS calls): nothing it still does counts. */
  kill(invocation: Invocation): void {
    invocation.container.dead = true;
    this.#end(invocation, 'crashed', undefined);
  }

  #end(invocation: Invocation, status: InvocationStatus, result: unknown): void {
    if (invocation.status !== 'running') return;
    invocation.status = status;
    invocation.result = result;
    invocation.endedAt = this.#hooks.now();
    this.#hooks.touch();
    this.#hooks.ended(invocation);
    this.#waiting.get(invocation.functionName)?.shift()?.();
  }
}
