import type { LoggerLike } from '../types.js';

export interface FlushableLogger extends LoggerLike {
  /** Resolves once every line written so far has reached the real logger. */
  flush(): Promise<void>;
  /** True while Powertools is being loaded with lines waiting for it. */
  readonly isLoading: boolean;
  /** Whether debug lines are written at all, so callers can skip building them. */
  readonly debugEnabled: boolean;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Powertools' level scale; SILENT mutes everything. */
const THRESHOLDS: Record<string, number> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};
const LEVEL_VALUE: Record<Level, number> = { debug: 8, info: 12, warn: 16, error: 20 };

/**
 * A Powertools Logger that is imported only when a line at an enabled level is first written. Importing
 * Powertools costs several milliseconds of cold start, and a healthy batch writes nothing above DEBUG, so
 * the happy path never pays for it. Lines written while it loads are queued and replayed in order.
 * The level comes from the same variables Powertools reads.
 */
export function createDefaultLogger(env: NodeJS.ProcessEnv = process.env): FlushableLogger {
  const configured = (
    env.POWERTOOLS_LOG_LEVEL ??
    env.AWS_LAMBDA_LOG_LEVEL ??
    env.LOG_LEVEL ??
    'INFO'
  ).toUpperCase();
  const threshold = THRESHOLDS[configured] ?? THRESHOLDS.INFO ?? 12;
  let real: LoggerLike | undefined;
  let loading: Promise<void> | undefined;
  const queued: [Level, string, unknown[]][] = [];

  const load = async () => {
    const { Logger } = await import('@aws-lambda-powertools/logger');
    real = new Logger({
      serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'sqs-failsafe',
      logLevel: (configured in THRESHOLDS ? configured : 'INFO') as 'INFO',
    });
    for (const [level, message, extra] of queued) real[level](message, ...extra);
    queued.length = 0;
  };

  const write = (level: Level, message: string, extra: unknown[]) => {
    if (LEVEL_VALUE[level] < threshold) return;
    if (real !== undefined) {
      real[level](message, ...extra);
      return;
    }
    queued.push([level, message, extra]);
    loading ??= load().catch((error: unknown) => {
      // The logger itself failed to load: fall back to the console rather than lose the lines.
      for (const [queuedLevel, queuedMessage, queuedExtra] of queued)
        console[queuedLevel](queuedMessage, ...queuedExtra);
      queued.length = 0;
      real = console;
      console.error('sqs-failsafe: Powertools Logger could not be loaded; logging to the console', error);
    });
  };

  return {
    debug: (message, ...extra) => write('debug', message, extra),
    info: (message, ...extra) => write('info', message, extra),
    warn: (message, ...extra) => write('warn', message, extra),
    error: (message, ...extra) => write('error', message, extra),
    flush: () => loading ?? Promise.resolve(),
    get isLoading() {
      return loading !== undefined && real === undefined;
    },
    debugEnabled: LEVEL_VALUE.debug >= threshold,
  };
}
