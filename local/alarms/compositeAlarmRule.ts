import type { AlarmState } from './alarmEvaluator.js';

/**
 * Evaluates a composite alarm rule: ALARM(x), OK(x), INSUFFICIENT_DATA(x), TRUE, FALSE, combined with
 * AND, OR, NOT and parentheses; x is an alarm name or ARN, quoted or not. Returns undefined for a rule it
 * cannot read (the alarm is then left alone).
 */
export function evaluateCompositeRule(
  rule: string,
  stateOf: (alarm: string) => AlarmState | undefined,
): boolean | undefined {
  const tokens = rule.match(/\(|\)|"[^"]*"|[A-Z_]+\s*\(|AND|OR|NOT|TRUE|FALSE|[^\s()"]+/g) ?? [];
  let position = 0;
  const peek = () => tokens[position]?.trim();
  const take = () => tokens[position++]?.trim();

  const primary = (): boolean => {
    const token = take();
    if (token === undefined) throw new Error('unexpected end of rule');
    if (token === 'NOT') return !primary();
    if (token === 'TRUE') return true;
    if (token === 'FALSE') return false;
    if (token === '(') {
      const value = disjunction();
      if (take() !== ')') throw new Error('missing )');
      return value;
    }
    const state = /^(ALARM|OK|INSUFFICIENT_DATA)\s*\($/.exec(token)?.[1];
    if (state === undefined) throw new Error(`unexpected ${token}`);
    const alarm = (take() ?? '').replace(/^"|"$/g, '');
    if (take() !== ')') throw new Error('missing )');
    const name = alarm.includes(':alarm:') ? alarm.slice(alarm.indexOf(':alarm:') + ':alarm:'.length) : alarm;
    return (stateOf(name) ?? 'INSUFFICIENT_DATA') === state;
  };
  const conjunction = (): boolean => {
    let value = primary();
    while (peek() === 'AND') {
      take();
      value = primary() && value;
    }
    return value;
  };
  const disjunction = (): boolean => {
    let value = conjunction();
    while (peek() === 'OR') {
      take();
      value = conjunction() || value;
    }
    return value;
  };
  try {
    const value = disjunction();
    return position === tokens.length ? value : undefined;
  } catch {
    return undefined;
  }
}
