import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Commands the package tests run in the scratch project, and the Node.js binaries they run them on. */

export const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The environment for npm and node in the project: without the npm_* variables of the `npm test` that runs
 * the tests, which would point npm at this repository instead of the project.
 */
export const childEnvironment: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')),
);

export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnvironment,
): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: 'pipe', timeout: 240_000 });
}

/** Like run, without blocking: for commands that talk to a server running in the test's own process. */
export async function runAsync(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnvironment,
): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return stdout;
}

/** Like run, but a failure is returned (exit code, stdout and stderr) instead of thrown. */
export function tryRun(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnvironment,
): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: run(command, args, cwd, env), stderr: '' };
  } catch (error) {
    const failed = error as { status: number | null; stdout: string; stderr: string };
    return { code: failed.status ?? 1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The version of a package installed in this repository (undefined when it is not). */
export function repositoryVersionOf(name: string): string | undefined {
  try {
    return (createRequire(join(REPOSITORY, 'package.json'))(`${name}/package.json`) as { version: string })
      .version;
  } catch {
    return undefined;
  }
}

/**
 * The Node.js binaries the published package must work on, both from `npm ci`: Node 24 is the `node`
 * devDependency (and runs every npm script), Node 22 the `node22` alias of the same package (Lambda's
 * nodejs22.x). Keyed by major version.
 */
export const NODE_BINARIES: Readonly<Record<'22' | '24', string>> = {
  '22': join(REPOSITORY, 'node_modules', 'node22', 'bin', 'node'),
  '24': join(REPOSITORY, 'node_modules', 'node', 'bin', 'node'),
};

export function nodeBinary(major: '22' | '24'): string {
  const binary = NODE_BINARIES[major];
  if (!existsSync(binary)) throw new Error(`No Node ${major} at ${binary}: run npm ci.`);
  return binary;
}
