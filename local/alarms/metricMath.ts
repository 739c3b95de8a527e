/**
 * The part of CloudWatch metric math that alarms over custom metrics use: numbers, metric ids, `+ - * /`,
 * comparisons (`< <= > >= == !=`), `AND`, `OR`, `NOT`, parentheses, and the functions `IF(condition,
 * then, else)`, `FILL(id, value)`, `ABS`, `MIN(a, b)` and `MAX(a, b)`. Evaluated one period at a time: a
 * missing datapoint is `undefined` and stays missing through arithmetic unless FILL replaces it, and a
 * division by zero gives no datapoint, as in CloudWatch.
 */
export type MathValue = number | undefined;

export type MetricMathExpression = (values: ReadonlyMap<string, MathValue>) => MathValue;

export class MetricMathError extends Error {
  override readonly name = 'MetricMathError';
}

type Token =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly value: string }
  | { readonly kind: 'symbol'; readonly value: string };

const SYMBOLS = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '(', ')', ','];

/** Parses an expression once; the result evaluates it for one period's values. Throws MetricMathError. */
export function parseMetricMath(expression: string): MetricMathExpression {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isSymbol = (value: string) => {
    const token = peek();
    return token?.kind === 'symbol' && token.value === value;
  };
  const expect = (value: string) => {
    if (!isSymbol(value)) throw new MetricMathError(`expected "${value}" in ${JSON.stringify(expression)}`);
    position += 1;
  };

  const binary =
    (next: () => MetricMathExpression, operators: Record<string, (a: number, b: number) => MathValue>) =>
    (): MetricMathExpression => {
      let left = next();
      for (;;) {
        const token = peek();
        const key = token === undefined || token.kind === 'number' ? undefined : token.value.toUpperCase();
        const operator = key !== undefined && Object.hasOwn(operators, key) ? operators[key] : undefined;
        if (operator === undefined) return left;
        position += 1;
        const [a, b] = [left, next()];
        left = (values) => {
          const [x, y] = [a(values), b(values)];
          return x === undefined || y === undefined ? undefined : operator(x, y);
        };
      }
    };

  const primary = (): MetricMathExpression => {
    const token = peek();
    if (token === undefined) throw new MetricMathError(`unexpected end of ${JSON.stringify(expression)}`);
    position += 1;
    if (token.kind === 'number') return () => token.value;
    if (token.kind === 'symbol') {
      if (token.value === '(') {
        const inner = or();
        expect(')');
        return inner;
      }
      if (token.value === '-') {
        const operand = primary();
        return (values) => negate(operand(values));
      }
      throw new MetricMathError(`unexpected "${token.value}" in ${JSON.stringify(expression)}`);
    }
    if (token.value.toUpperCase() === 'NOT') {
      const operand = primary();
      return (values) => {
        const value = operand(values);
        return value === undefined ? undefined : Number(value === 0);
      };
    }
    if (isSymbol('(')) return call(token.value.toUpperCase());
    return (values) => values.get(token.value);
  };

  const call = (name: string): MetricMathExpression => {
    expect('(');
    const args: MetricMathExpression[] = [];
    if (!isSymbol(')')) {
      args.push(or());
      while (isSymbol(',')) {
        position += 1;
        args.push(or());
      }
    }
    expect(')');
    const arity = (count: number) => {
      if (args.length !== count)
        throw new MetricMathError(`${name} takes ${count} arguments, got ${args.length}`);
    };
    const [a, b, c] = args as [MetricMathExpression, MetricMathExpression, MetricMathExpression];
    switch (name) {
      case 'IF':
        arity(3);
        return (values) => {
          const condition = a(values);
          if (condition === undefined) return undefined;
          return condition !== 0 ? b(values) : c(values);
        };
      case 'FILL':
        arity(2);
        return (values) => a(values) ?? b(values);
      case 'ABS':
        arity(1);
        return (values) => {
          const value = a(values);
          return value === undefined ? undefined : Math.abs(value);
        };
      case 'MIN':
      case 'MAX': {
        arity(2);
        const pick = name === 'MIN' ? Math.min : Math.max;
        return (values) => {
          const [x, y] = [a(values), b(values)];
          return x === undefined || y === undefined ? undefined : pick(x, y);
        };
      }
      default:
        throw new MetricMathError(`the metric math function ${name} is not emulated locally`);
    }
  };

  const product = binary(primary, {
    '*': (a, b) => a * b,
    '/': (a, b) => (b === 0 ? undefined : a / b),
  });
  const sum = binary(product, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const comparison = binary(sum, {
    '<': (a, b) => Number(a < b),
    '<=': (a, b) => Number(a <= b),
    '>': (a, b) => Number(a > b),
    '>=': (a, b) => Number(a >= b),
    '==': (a, b) => Number(a === b),
    '!=': (a, b) => Number(a !== b),
  });
  const and = binary(comparison, { AND: (a, b) => Number(a !== 0 && b !== 0) });
  const or = binary(and, { OR: (a, b) => Number(a !== 0 || b !== 0) });

  const parsed = or();
  if (position < tokens.length) {
    throw new MetricMathError(`unexpected text after position ${position} in ${JSON.stringify(expression)}`);
  }
  return parsed;
}

/** The metric ids an expression reads, so a caller can check they exist. */
export function metricMathIds(expression: string): string[] {
  const tokens = tokenize(expression);
  return tokens.flatMap((token, index) =>
    token.kind === 'name' &&
    !['AND', 'OR', 'NOT'].includes(token.value.toUpperCase()) &&
    !(tokens[index + 1]?.kind === 'symbol' && tokens[index + 1]?.value === '(')
      ? [token.value]
      : [],
  );
}

function negate(value: MathValue): MathValue {
  return value === undefined ? undefined : -value;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const rest = expression.slice(index);
    const space = /^\s+/.exec(rest);
    if (space !== null) {
      index += space[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name !== null) {
      tokens.push({ kind: 'name', value: name[0] });
      index += name[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
    if (symbol === undefined) {
      throw new MetricMathError(`unexpected "${rest[0]}" in ${JSON.stringify(expression)}`);
    }
    tokens.push({ kind: 'symbol', value: symbol });
    index += symbol.length;
  }
  return tokens;
}
