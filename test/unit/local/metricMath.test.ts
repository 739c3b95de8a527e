import { describe, expect, it } from 'vitest';
import { MetricMathError, metricMathIds, parseMetricMath } from '../../../local/alarms/metricMath.js';

const evaluate = (expression: string, values: Record<string, number | undefined>) =>
  parseMetricMath(expression)(new Map(Object.entries(values)));

/** The breaker's alarm expression (infra/consumer/transientFailuresAlarm.ts) with a minimum of 10. */
const RATE = 'IF(transient >= 10, 100 * transient / (transient + FILL(succeeded, 0)), 0)';

describe('local metric math', () => {
  it.each([
    ['an outage: every record fails', { transient: 40, succeeded: 0 }, 100],
    ['a busy consumer with a trickle of retryable errors', { transient: 50, succeeded: 950 }, 5],
    ['too few failures to mean anything', { transient: 3, succeeded: 0 }, 0],
    ['no success datapoint at all (FILL)', { transient: 12, succeeded: undefined }, 100],
    ['no traffic: missing stays missing', { transient: undefined, succeeded: undefined }, undefined],
  ])('evaluates the transient failure rate: %s', (_, values, expected) => {
    expect(evaluate(RATE, values)).toBe(expected);
  });

  it('follows operator precedence, parentheses, comparisons and logic', () => {
    expect(evaluate('1 + 2 * 3', {})).toBe(7);
    expect(evaluate('(1 + 2) * 3', {})).toBe(9);
    expect(evaluate('-a + 10', { a: 4 })).toBe(6);
    expect(evaluate('a > 1 AND b <= 2', { a: 2, b: 2 })).toBe(1);
    expect(evaluate('a > 1 and NOT b', { a: 2, b: 0 })).toBe(1);
    expect(evaluate('a == 1 OR b != 2', { a: 0, b: 2 })).toBe(0);
    expect(evaluate('MAX(a, b) - MIN(a, b) + ABS(c)', { a: 3, b: 8, c: -1 })).toBe(6);
  });

  it('gives no datapoint for a division by zero, as CloudWatch does', () => {
    expect(evaluate('a / b', { a: 1, b: 0 })).toBeUndefined();
  });

  it('names the metric ids an expression reads', () => {
    expect(metricMathIds(RATE)).toEqual(['transient', 'transient', 'transient', 'succeeded']);
  });

  it.each([
    [
      'an unknown function',
      'ANOMALY_DETECTION_BAND(m1, 2)',
      /ANOMALY_DETECTION_BAND is not emulated locally/,
    ],
    ['a wrong number of arguments', 'IF(a, b)', /IF takes 3 arguments, got 2/],
    ['an unclosed parenthesis', '(a + b', /expected "\)"/],
    ['a stray character', 'a ? b', /unexpected "\?"/],
    ['trailing text', 'a b', /unexpected text after/],
  ])('refuses %s with a clear error', (_, expression, message) => {
    expect(() => parseMetricMath(expression)).toThrowError(MetricMathError);
    expect(() => parseMetricMath(expression)).toThrowError(message);
  });
});
