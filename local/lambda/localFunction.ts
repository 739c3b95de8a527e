import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from '../provision/localResources.js';

export type InvocationOutcome =
  | { readonly status: 'ok'; readonly result: unknown; readonly durationMs: number }
  | {
      readonly status: 'error';
      readonly error: { name: string; message: string };
      readonly durationMs: number;
    }
  | { readonly status: 'timeout'; readonly durationMs: number }
  | { readonly status: 'throttled' };

export interface FunctionStats {
  invocations: number;
  errors: number;
  timeouts: number;
  throttles: number;
  coldStarts: number;
  /** Invocation durations, each rounded up to the millisecond as Lambda bills them, summed. */
  billedDurationMs: number;
  /** Time spent starting execution environments (loading the handler module), rounded up the same way. */
  initDurationMs: number;
  /** Bytes the function wrote to stdout and stderr, a newline per line (what CloudWatch Logs ingests). */
  logBytes: number;
}

export interface LocalFunctionOptions {
  /** Variables every function gets (region, credentials, endpoints), before the function's own. */
  readonly baseEnvironment: Readonly<Record<string, string>>;
  /** Receives every line the function writes to stdout or stderr. */
  readonly onLogLine: (functionName: string, line: string) => void;
  /** Instances at most when the template reserves none. */
  readonly defaultMaxInstances: number;
  /** Path of the instance worker script. */
  readonly workerScript: URL;
  /** Told about every invocation, for the Lambda metrics alarms read. */
  readonly onInvoked?: (functionName: string, outcome: InvocationOutcome) => void;
}

interface Instance {
  readonly worker: Worker;
  busy: boolean;
}

/**
 * A Lambda function run locally from its bundled asset: a pool of execution environments (worker threads)
 * with the function's environment, memory setting and timeout. An invocation that runs past the timeout
 * fails and its environment is discarded, as on AWS; the next invocation starts a fresh one.
 */
export class LocalFunction {
  readonly spec: FunctionSpec;
  readonly stats: FunctionStats = {
    invocations: 0,
    errors: 0,
    timeouts: 0,
    throttles: 0,
    coldStarts: 0,
    billedDurationMs: 0,
    initDurationMs: 0,
    logBytes: 0,
  };
  readonly #options: LocalFunctionOptions;
  readonly #instances: Instance[] = [];
  readonly #waiting: ((instance: Instance | undefined) => void)[] = [];
  #nextId = 0;
  #closed = false;

  constructor(spec: FunctionSpec, options: LocalFunctionOptions) {
    this.spec = spec;
    this.#options = options;
  }

  get maxInstances(): number {
    return this.spec.reservedConcurrency ?? this.#options.defaultMaxInstances;
  }

  get busyInstances(): number {
    return this.#instances.filter((instance) => instance.busy).length;
  }

  /**
   * Synchronous invocation. With `waitForCapacity` (asynchronous invocations, which Lambda queues) it waits
   * for a free environment; otherwise a call beyond the concurrency limit is throttled.
   */
  async invoke(event: unknown, options: { waitForCapacity?: boolean } = {}): Promise<InvocationOutcome> {
    const instance = await this.#acquire(options.waitForCapacity ?? false);
    if (instance === undefined) {
      this.stats.throttles += 1;
      this.#options.onInvoked?.(this.spec.name, { status: 'throttled' });
      return { status: 'throttled' };
    }
    this.stats.invocations += 1;
    const started = Date.now();
    // Durations to the fraction of a millisecond: Lambda bills each invocation rounded up to the next ms
    // (docs/aws-semantics.md#lambda-billing).
    const startedPrecisely = performance.now();
    const elapsed = () => performance.now() - startedPrecisely;
    const timeoutMs = this.spec.timeoutSeconds * 1_000;
    const id = this.#nextId++;
    const outcome = await new Promise<Exclude<InvocationOutcome, { status: 'throttled' }>>((resolve) => {
      const timer = setTimeout(() => {
        instance.worker.off('message', onMessage);
        resolve({ status: 'timeout', durationMs: elapsed() });
      }, timeoutMs);
      const onMessage = (message: {
        type: string;
        id?: number;
        ok?: boolean;
        result?: unknown;
        error?: { name: string; message: string };
      }) => {
        if (message.type !== 'result' || message.id !== id) return;
        clearTimeout(timer);
        instance.worker.off('message', onMessage);
        resolve(
          message.ok
            ? { status: 'ok', result: message.result, durationMs: elapsed() }
            : {
                status: 'error',
                error: message.error ?? { name: 'Error', message: 'unknown' },
                durationMs: elapsed(),
              },
        );
      };
      instance.worker.on('message', onMessage);
      instance.worker.postMessage({ id, event, deadline: started + timeoutMs, requestId: randomUUID() });
    });
    this.stats.billedDurationMs += Math.ceil(outcome.durationMs);
    if (outcome.status === 'timeout') {
      this.stats.timeouts += 1;
      this.stats.errors += 1;
      this.#options.onLogLine(
        this.spec.name,
        `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
      );
      await this.#discard(instance);
    } else {
      if (outcome.status === 'error') this.stats.errors += 1;
      this.#release(instance);
    }
    this.#options.onInvoked?.(this.spec.name, outcome);
    return outcome;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    await Promise.all(this.#instances.splice(0).map((instance) => instance.worker.terminate()));
  }

  async #acquire(waitForCapacity: boolean): Promise<Instance | undefined> {
    if (this.#closed) return undefined;
    const idle = this.#instances.find((instance) => !instance.busy);
    if (idle !== undefined) {
      idle.busy = true;
      return idle;
    }
    if (this.#instances.length < this.maxInstances) return this.#start();
    if (!waitForCapacity) return undefined;
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(instance: Instance): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next(instance);
    else instance.busy = false;
  }

  async #discard(instance: Instance): Promise<void> {
    this.#instances.splice(this.#instances.indexOf(instance), 1);
    await instance.worker.terminate();
    const next = this.#waiting.shift();
    if (next !== undefined) next(await this.#start());
  }

  async #start(): Promise<Instance> {
    this.stats.coldStarts += 1;
    const initStarted = performance.now();
    const worker = new Worker(this.#options.workerScript, {
      workerData: {
        codeDirectory: this.spec.codeDirectory,
        handler: this.spec.handler,
        functionName: this.spec.name,
        memoryMb: this.spec.memoryMb,
        functionArn: this.spec.arn,
        sdkBaseUrl: import.meta.url,
      },
      env: { ...this.#options.baseEnvironment, ...lambdaVariables(this.spec), ...this.spec.environment },
      stdout: true,
      stderr: true,
    });
    const instance: Instance = { worker, busy: true };
    this.#instances.push(instance);
    for (const stream of [worker.stdout, worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.stats.logBytes += Buffer.byteLength(line) + 1;
        this.#options.onLogLine(this.spec.name, line);
      });
    }
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { type: string; error?: { message: string } }) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          this.stats.initDurationMs += Math.ceil(performance.now() - initStarted);
          resolve();
        } else if (message.type === 'init-error') {
          worker.off('message', onMessage);
          reject(new Error(`Function ${this.spec.name} failed to initialise: ${message.error?.message}`));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }).catch(async (error: Error) => {
      this.#instances.splice(this.#instances.indexOf(instance), 1);
      await worker.terminate();
      throw error;
    });
    return instance;
  }
}

/** The reserved variables Lambda sets in every execution environment. */
function lambdaVariables(spec: FunctionSpec): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    LAMBDA_TASK_ROOT: spec.codeDirectory,
    _HANDLER: spec.handler,
  };
}
