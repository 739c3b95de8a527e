import type { LoggerLike } from '../../lib/index.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  extra: unknown[];
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function recordingLogger(): LoggerLike & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, ...extra: unknown[]) => {
      lines.push({ level, message, extra });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
