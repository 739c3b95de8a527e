import { toError } from '../errors.js';
import type { BatchHooks, LoggerLike } from '../types.js';

type HookName = keyof BatchHooks;
type HookArgument<K extends HookName> = Parameters<NonNullable<BatchHooks[K]>>[0];

/**
 * Calls user hooks so that they can observe outcomes but never change them: the outcome is final before
 * the hook runs, a throw or rejection is logged and swallowed, and async hooks are collected so the
 * invocation can await them before Lambda freezes the process.
 */
export class HookRunner {
  readonly #hooks: BatchHooks;
  readonly #logger: LoggerLike;
  /** Created by the first async hook: most hooks are synchronous, and most batches would never use it. */
  #pending: Promise<void>[] | undefined;

  constructor(hooks: BatchHooks, logger: LoggerLike) {
    this.#hooks = hooks;
    this.#logger = logger;
  }

  call<K extends HookName>(name: K, argument: HookArgument<K>, messageId: string): void {
    const hook = this.#hooks[name] as ((argument: HookArgument<K>) => unknown) | undefined;
    if (hook === undefined) return;
    try {
      const returned = hook.call(this.#hooks, argument);
      if (returned instanceof Promise) {
        this.#pending ??= [];
        this.#pending.push(
          returned.then(undefined, (error: unknown) => this.#report(name, messageId, error)),
        );
      }
    } catch (error) {
      this.#report(name, messageId, error);
    }
  }

  /** Whether an async hook is still running. */
  get hasPending(): boolean {
    return this.#pending !== undefined;
  }

  /** Resolves when every async hook has settled, or when `deadline` resolves, whichever is first. */
  async settled(deadline: Promise<void>): Promise<void> {
    if (this.#pending === undefined) return;
    await Promise.race([Promise.all(this.#pending), deadline]);
  }

  #report(name: HookName, messageId: string, thrown: unknown): void {
    const error = toError(thrown);
    this.#logger.warn(`Hook ${name} failed; the message's outcome is unchanged`, {
      hook: name,
      messageId,
      error: { name: error.name, message: error.message },
    });
  }
}
