import { InvalidArgumentError } from 'commander';

/** A commander argument parser for an integer flag within a range, with a message naming the flag. */
export const integerArgument = (name: string, min: number, max: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
  }
  return parsed;
};
