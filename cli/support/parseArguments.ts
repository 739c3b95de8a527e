import { InvalidArgumentError } from 'commander';
import { isHttpUrl } from './awsEnvironment.js';

/** Option parsers for commander: each rejects a bad value with a message naming what is allowed. */

export function integerArgument(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return value;
  };
}

export function numberArgument(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a number from ${min} to ${max}.`);
    }
    return value;
  };
}

/** For repeatable options: each occurrence adds to the list. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

export function choiceArgument<const T extends string>(choices: readonly T[]) {
  return (text: string): T => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw new InvalidArgumentError(`must be one of ${choices.join(', ')}.`);
  };
}

/** An http(s) URL, e.g. an endpoint. */
export function urlArgument(example: string) {
  return (text: string): string => {
    if (isHttpUrl(text)) return text;
    throw new InvalidArgumentError(`must be a URL such as ${example}.`);
  };
}
