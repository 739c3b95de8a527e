const UNIT_SECONDS: Record<string, number> = {
  minute: 60,
  minutes: 60,
  hour: 3_600,
  hours: 3_600,
  day: 86_400,
  days: 86_400,
};

/** `rate(5 minutes)` -> 300. Cron expressions are not emulated (undefined). */
export function parseScheduleExpression(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}
