import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { synthesizeApp } from '../../local/assembly/synthesizeApp.js';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/localRuntime.js';
import type { DemoOptions } from '../../local/runDemo.js';

export const FIXTURE_FUNCTIONS = join(import.meta.dirname, '..', 'fixtures', 'functions');

/**
 * Synthesizes a small CDK app built by the test, in process (fixture functions are plain JavaScript, so
 * nothing is bundled), and returns its cloud assembly folder. `cleanup` removes it.
 */
export function synthesizeFixtureApp(build: (stack: Stack) => void): {
  assemblyDirectory: string;
  cleanup: () => void;
} {
  const directory = mkdtempSync(join(tmpdir(), 'sqs-failsafe-fixture-'));
  const app = new App({ outdir: directory });
  build(new Stack(app, 'Fixture'));
  app.synth();
  return { assemblyDirectory: directory, cleanup: () => rmSync(directory, { recursive: true, force: true }) };
}

/** Synthesizes this repository's example app with extra context, into a folder of its own. */
export async function synthesizeExampleApp(context: Record<string, string>): Promise<string> {
  const name = Object.entries(context)
    .map(([key, value]) => `${key.replace('sqs-failsafe:', '')}-${value}`)
    .join('_')
    .replace(/[^A-Za-z0-9_-]/g, '');
  const outputDirectory = join(process.cwd(), '.local-runtime', `test-${name || 'default'}`);
  await synthesizeApp({
    projectDirectory: process.cwd(),
    outputDirectory,
    context: { 'sqs-failsafe:faultInjection': 'true', ...context },
    force: false,
  });
  return outputDirectory;
}

export function startRuntime(
  assemblyDirectory: string,
  options: Partial<LocalRuntimeOptions> = {},
): Promise<LocalRuntime> {
  return LocalRuntime.start({
    assemblyDirectory,
    port: 0,
    region: 'us-east-1',
    timeScale: 60,
    faultRates: { sqsThrottle: 0, snsPublishFailure: 0 },
    defaultConcurrency: 1,
    ...options,
  });
}

/** Resolves with the first value `take` returns for an event, or rejects after `timeoutMs`. */
export function nextEvent<T>(
  subscribe: (listener: (value: T) => void) => void,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/**
 * Options for a demo run in a test: the example app with a 5 s function (slow and timed-out invocations
 * stay short), in an assembly folder of the test's own, quiet, on any free port; `overrides` set the rest.
 */
export function demoOptions(
  overrides: Partial<DemoOptions> & Pick<DemoOptions, 'assemblyDirectory' | 'messages' | 'faults'>,
): DemoOptions {
  return {
    projectDirectory: process.cwd(),
    synth: 'auto',
    context: { 'sqs-failsafe:functionTimeoutSeconds': '5' },
    seed: 1,
    timeScale: 60,
    port: 0,
    region: 'us-east-1',
    maxWaitSeconds: 120,
    keepRunning: false,
    verbose: false,
    interactive: false,
    write: () => {},
    ...overrides,
  };
}
