import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgram } from '../../../cli/program.js';
import { CLI_ARGUMENT_CASES } from '../../badInputs/cliArguments.js';

/** The environment the global options write into (applyAwsOptions): restored after each command line. */
const AWS_VARIABLES = ['AWS_PROFILE', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SQS'] as const;
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_SQS;
  process.env.AWS_REGION = 'eu-west-1';
});
afterEach(() => {
  for (const name of AWS_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs a command line in this process; no request may leave it (fetch and sockets are not reached). */
async function run(args: readonly string[]): Promise<{ output: string; exitCode: number | undefined }> {
  let output = '';
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    output += String(text);
    return true;
  });
  const program = createProgram()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (output += text), writeErr: (text) => (output += text) });
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeErr: (text) => (output += text) });
  let exitCode: number | undefined;
  try {
    await program.parseAsync([...args], { from: 'user' });
    exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode;
  } finally {
    stderr.mockRestore();
  }
  return { output, exitCode };
}

describe('bad command lines: one clear line naming what to change, a non-zero exit, no request', () => {
  it.each(CLI_ARGUMENT_CASES)('$tried -> $names', async ({ input, names }) => {
    const send = vi.fn();
    vi.spyOn(globalThis, 'fetch').mockImplementation(send);
    const { output, exitCode } = await run(input);
    expect(exitCode === undefined ? 0 : exitCode).toBeGreaterThan(0);
    expect(output).toContain(names);
    expect(output).not.toMatch(/^\s+at /m);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('doctor: a bad command line is a usage error (exit code 2, docs/doctor.md), not a failed check (1)', () => {
  it.each(CLI_ARGUMENT_CASES.filter(({ input }) => input[0] === 'doctor'))('$tried', async ({ input }) => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(vi.fn());
    const exits = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw Object.assign(new Error('exit'), { exitCode: code });
    });
    let output = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      output += String(text);
      return true;
    });
    // The program as the command line runs it: its own exit override maps usage errors to 2.
    await createProgram()
      .parseAsync([...input], { from: 'user' })
      .catch(() => {});
    expect(exits.mock.calls.at(0)?.[0] ?? process.exitCode, output).toBe(2);
  });
});
