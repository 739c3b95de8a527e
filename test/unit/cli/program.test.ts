import { describe, expect, it, vi } from 'vitest';
import { createProgram } from '../../../cli/program.js';
import manifest from '../../../package.json' with { type: 'json' };

/** Runs the program on the arguments, capturing what it writes instead of exiting the process. */
async function runProgram(...args: string[]): Promise<{ output: string; exitCode: number | undefined }> {
  let output = '';
  const program = createProgram()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (output += text), writeErr: (text) => (output += text) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { output, exitCode: undefined };
  } catch (error) {
    return { output, exitCode: (error as { exitCode?: number }).exitCode };
  }
}

describe('sqs-failsafe CLI', () => {
  it('prints the package version', async () => {
    const { output, exitCode } = await runProgram('--version');
    expect(output.trim()).toBe(manifest.version);
    expect(exitCode).toBe(0);
  });

  it('prints help with --help and without arguments', async () => {
    for (const args of [['--help'], []]) {
      const { output } = await runProgram(...args);
      expect(output).toContain('Usage: sqs-failsafe [options]');
      expect(output).toContain('-v, --version');
    }
  });

  it('refuses an unknown option in one line that points to --help', async () => {
    const { output, exitCode } = await runProgram('--bogus');
    expect(output).toBe("error: unknown option '--bogus' (see sqs-failsafe --help)\n");
    expect(exitCode).toBe(1);
  });

  it('names an unknown command and lists the commands there are', async () => {
    const { output, exitCode } = await runProgram('bogus');
    expect(output).toBe(
      "error: unknown command 'bogus'; the commands are redrive, peek, stats, console, doctor. (see sqs-failsafe --help)\n",
    );
    expect(exitCode).toBe(2);
  });

  it("doctor's help says where region and endpoints come from, the local runtime's two endpoints included", async () => {
    let output = '';
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      output += String(text);
      return true;
    });
    await runProgram('doctor', '--help').finally(() => stdout.mockRestore());
    expect(output).toContain('global options (sqs-failsafe --help)');
    expect(output).toContain(
      'AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CLOUDWATCH and AWS_ENDPOINT_URL_EVENTBRIDGE',
    );
  });

  it('refuses an endpoint that is not a URL, naming the flag', async () => {
    const { output, exitCode } = await runProgram('--endpoint-url', 'notaurl', 'stats', 'q');
    expect(output).toBe(
      "error: option '--endpoint-url <url>' argument 'notaurl' is invalid. must be a URL such as " +
        'http://localhost:4566. (see sqs-failsafe --help)\n',
    );
    expect(exitCode).toBe(1);
  });
});
