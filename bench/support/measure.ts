import { do_not_optimize, measure } from 'mitata';

/** Time per call of an async function, in microseconds. */
export interface Timing {
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p75Us: number;
  readonly samples: number;
}

/**
 * Times `call` with mitata: warm-up, then as many awaited calls as fit in `minCpuTimeMs` (at least 12
 * samples). Only the call is inside the timed region; whatever it needs is built by the caller beforehand.
 */
export async function timeAsync(call: () => Promise<unknown>, minCpuTimeMs = 400): Promise<Timing> {
  const stats = await measure(
    async () => {
      do_not_optimize(await call());
    },
    { min_cpu_time: minCpuTimeMs * 1e6 },
  );
  return {
    meanUs: stats.avg / 1e3,
    p50Us: stats.p50 / 1e3,
    p75Us: stats.p75 / 1e3,
    samples: stats.samples.length,
  };
}
