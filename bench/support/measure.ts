import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { do_not_optimize, measure } from 'mitata';

/**
 * A real full garbage collection for mitata to run before each measurement, so that garbage left by the
 * previous runner is not collected on this one's time. Without --expose-gc mitata falls back to
 * allocating a 1 GiB buffer instead; `npm run bench` runs tsx without node flags, so the flag is set
 * here and the collector fetched from a fresh context, where it appears once the flag is on.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Time per call of an async function, in microseconds. */
export interface Timing {
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p75Us: number;
  /** Calls timed, pooled over the rounds. */
  readonly samples: number;
}

export interface SideBySideOptions {
  /** Rounds over all calls; each round starts with a different call. */
  readonly rounds: number;
  /** CPU time spent on each call in each round, and in its warm-up before the first round. */
  readonly minCpuTimeMs: number;
}

/**
 * Times several async calls against each other with mitata. One long measurement per call, one after the
 * other, would let machine noise (a busy neighbour, a frequency change) land on whichever call ran at
 * that moment; so each call is measured in several short rounds, the order rotating from round to round,
 * and its samples are pooled. Every sample is one call (mitata's batching of fast calls is off): batched
 * samples are means of thousands of calls and could not be pooled with single-call ones, nor give
 * per-call percentiles. Reading the clock around each call adds tens of ns to calls of several µs.
 */
export async function timeSideBySide(
  calls: readonly (() => Promise<unknown>)[],
  options: SideBySideOptions,
): Promise<Timing[]> {
  for (const call of calls) await warmUp(call, options.minCpuTimeMs);
  const pooled: number[][] = calls.map(() => []);
  for (let round = 0; round < options.rounds; round += 1) {
    for (let offset = 0; offset < calls.length; offset += 1) {
      const index = (round + offset) % calls.length;
      const call = calls[index] as () => Promise<unknown>;
      const stats = await measure(
        async () => {
          do_not_optimize(await call());
        },
        { min_cpu_time: options.minCpuTimeMs * 1e6, batch_threshold: 0, gc: collectGarbage },
      );
      // A loop, not push(...samples): a fast call yields more samples than a call may take arguments.
      const samples = pooled[index] as number[];
      for (const sample of stats.samples) samples.push(sample);
    }
  }
  return pooled.map(summarise);
}

/** Runs a call until the JIT has settled, so that no round pays for compiling it. */
async function warmUp(call: () => Promise<unknown>, durationMs: number): Promise<void> {
  const until = performance.now() + durationMs;
  while (performance.now() < until) do_not_optimize(await call());
}

function summarise(samplesNs: number[]): Timing {
  const sorted = samplesNs.sort((a, b) => a - b);
  const at = (fraction: number) => (sorted[Math.floor(fraction * (sorted.length - 1))] ?? Number.NaN) / 1e3;
  const total = sorted.reduce((sum, sample) => sum + sample, 0);
  return { meanUs: total / sorted.length / 1e3, p50Us: at(0.5), p75Us: at(0.75), samples: sorted.length };
}
