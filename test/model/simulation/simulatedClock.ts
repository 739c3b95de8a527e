import { seededRandom } from '../../../local/traffic/trafficDriver.js';

/**
 * One clock for everything in a model run: the runtime's deadlines, backoff sleeps and retries, SQS's
 * visibility timeouts and delays, Lambda's function timeouts. While installed it replaces `Date`,
 * `setTimeout`/`clearTimeout`/`setInterval`/`clearInterval` and `Math.random` (seeded, so a run replays
 * exactly from its seed). Time moves only when a command moves it: timers then run in time order, and
 * after each one every promise reaction it caused runs before time moves on, as on a real event loop
 * whose callbacks take no time.
 */

interface Timer {
  readonly id: number;
  at: number;
  readonly order: number;
  readonly callback: (...args: unknown[]) => void;
  readonly args: unknown[];
  readonly intervalMs: number | undefined;
}

/** What Node's timer functions return; the runtime only ever passes it back to clear it. */
export interface SimulatedTimerHandle {
  readonly id: number;
  ref(): SimulatedTimerHandle;
  unref(): SimulatedTimerHandle;
  hasRef(): boolean;
  [Symbol.toPrimitive](): number;
}

const realSetImmediate = globalThis.setImmediate;
const MAX_TIMERS_PER_ADVANCE = 200_000;

/** A turn of the real event loop: every queued promise reaction (and nextTick) runs before it ends. */
export const nextTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

export class SimulatedClock {
  now: number;
  readonly #timers = new Map<number, Timer>();
  #nextId = 1;
  #order = 0;
  readonly #random: () => number;
  #uninstall: (() => void) | undefined;
  /** Bumped by the world on every observable event, so `settle` knows when nothing moves any more. */
  activity = 0;

  constructor(startAt: number, seed: number) {
    this.now = startAt;
    this.#random = seededRandom(seed);
  }

  random(): number {
    return this.#random();
  }

  /** Replaces the globals; returns (and remembers) the function that puts them back. */
  install(): () => void {
    const saved = {
      Date: globalThis.Date,
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
      random: Math.random,
    };
    const clock = this;
    const RealDate = saved.Date;
    class SimulatedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now);
        else super(...(args as [string | number]));
      }
      static override now(): number {
        return clock.now;
      }
    }
    const globals = globalThis as Record<string, unknown>;
    globals.Date = SimulatedDate;
    globals.setTimeout = (callback: () => void, ms?: number, ...args: unknown[]) =>
      this.#add(callback, ms, args, undefined);
    globals.setInterval = (callback: () => void, ms?: number, ...args: unknown[]) =>
      this.#add(callback, ms, args, Math.max(1, ms ?? 0));
    globals.clearTimeout = (handle: unknown) => this.#clear(handle);
    globals.clearInterval = (handle: unknown) => this.#clear(handle);
    Math.random = () => this.#random();
    this.#uninstall = () => {
      globals.Date = saved.Date;
      globals.setTimeout = saved.setTimeout;
      globals.clearTimeout = saved.clearTimeout;
      globals.setInterval = saved.setInterval;
      globals.clearInterval = saved.clearInterval;
      Math.random = saved.random;
      this.#timers.clear();
    };
    return this.#uninstall;
  }

  uninstall(): void {
    this.#uninstall?.();
    this.#uninstall = undefined;
  }

  /** When the next timer is due; undefined when none is set. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers.values()) if (next === undefined || timer.at < next) next = timer.at;
    return next;
  }

  /**
   * Lets every reaction to what just happened run: turns of the real event loop until a turn passes in
   * which nothing observable happened (some reactions, such as a dynamic import, take more than one turn).
   */
  async settle(): Promise<void> {
    for (let turns = 0; turns < 50; turns += 1) {
      const before = this.activity;
      await nextTurn();
      await nextTurn();
      if (this.activity === before) return;
    }
  }

  /**
   * Moves time forward to `at`, running every timer due on the way, each at its own time. A run that keeps
   * setting timers without end (a retry loop that never gives up) fails here rather than hanging.
   */
  async advanceTo(at: number): Promise<void> {
    await this.settle();
    for (let fired = 0; ; fired += 1) {
      if (fired > MAX_TIMERS_PER_ADVANCE)
        throw new Error(`runaway: more than ${MAX_TIMERS_PER_ADVANCE} timers fired in one clock advance`);
      const timer = this.#earliestDueBy(at);
      if (timer === undefined) break;
      this.now = Math.max(this.now, timer.at);
      if (timer.intervalMs === undefined) this.#timers.delete(timer.id);
      else timer.at += timer.intervalMs;
      this.activity += 1;
      timer.callback(...timer.args);
      await this.settle();
    }
    this.now = Math.max(this.now, at);
    await this.settle();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.now + ms);
  }

  /** A promise resolved `ms` from now on this clock (for the model's own waits). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#add(() => resolve(), ms, [], undefined));
  }

  #earliestDueBy(at: number): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.at > at) continue;
      if (
        earliest === undefined ||
        timer.at < earliest.at ||
        (timer.at === earliest.at && timer.order < earliest.order)
      )
        earliest = timer;
    }
    return earliest;
  }

  #add(
    callback: (...args: unknown[]) => void,
    ms: number | undefined,
    args: unknown[],
    intervalMs: number | undefined,
  ): SimulatedTimerHandle {
    const id = this.#nextId++;
    const delay = Number.isFinite(ms) ? Math.max(0, Math.floor(ms as number)) : 0;
    this.#timers.set(id, { id, at: this.now + delay, order: this.#order++, callback, args, intervalMs });
    const handle: SimulatedTimerHandle = {
      id,
      ref: () => handle,
      unref: () => handle,
      hasRef: () => true,
      [Symbol.toPrimitive]: () => id,
    };
    return handle;
  }

  #clear(handle: unknown): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
    else if (typeof handle === 'object' && handle !== null && 'id' in handle)
      this.#timers.delete((handle as SimulatedTimerHandle).id);
  }
}
