import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SynthesisOptions {
  /** The CDK project (where cdk.json is). */
  readonly projectDirectory: string;
  readonly outputDirectory: string;
  /** `-c key=value` context for this synthesis. */
  readonly context: Readonly<Record<string, string>>;
  /** Synthesize even when the output is fresh. */
  readonly force: boolean;
}

export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

/** Folders whose files, when newer than the assembly, make it stale. */
const SOURCE_FOLDERS = ['infra', 'functions', 'lib'];
const SOURCE_FILES = ['cdk.json', 'package.json', 'package-lock.json'];

/**
 * Synthesizes the CDK app (`cdk synth`, which bundles the functions with the local esbuild), or reuses the
 * assembly when it was made from the same context and no source file changed since. Returns whether it
 * synthesized. A failed synthesis throws with the CDK's own error text.
 */
export async function synthesizeApp(options: SynthesisOptions): Promise<boolean> {
  const stamp = join(options.outputDirectory, 'sqs-failsafe-local.json');
  const contextText = JSON.stringify(options.context);
  if (!options.force && isFresh(options, stamp, contextText)) return false;
  if (!existsSync(join(options.projectDirectory, 'cdk.json'))) {
    throw new SynthesisError(
      `No cdk.json in ${options.projectDirectory}: run npm start from the project folder.`,
    );
  }
  const args = ['cdk', 'synth', '--quiet', '--output', options.outputDirectory];
  for (const [key, value] of Object.entries(options.context)) args.push('--context', `${key}=${value}`);
  const { code, output } = await run('npx', args, options.projectDirectory);
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new SynthesisError(`cdk synth failed (exit code ${code}):\n${tail}`);
  }
  writeFileSync(stamp, contextText);
  return true;
}

function isFresh(options: SynthesisOptions, stamp: string, contextText: string): boolean {
  const manifest = join(options.outputDirectory, 'manifest.json');
  if (!existsSync(manifest) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== contextText)
    return false;
  const builtAt = statSync(manifest).mtimeMs;
  return newestSource(options.projectDirectory) < builtAt;
}

function newestSource(projectDirectory: string): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const folder of SOURCE_FOLDERS)
    if (existsSync(join(projectDirectory, folder))) visit(join(projectDirectory, folder));
  for (const file of SOURCE_FILES)
    if (existsSync(join(projectDirectory, file))) visit(join(projectDirectory, file));
  return newest;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
