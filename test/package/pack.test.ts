import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Users `npm install` sqs-failsafe into their own CDK app. This packs the package as npm would publish it,
 * installs the tarball into a fresh project (from the npm cache that `npm ci` warmed, the registry only for
 * what is missing), and uses it from there: every entry point in package.json "exports", the types, the CLI,
 * and a CDK app that bundles the packaged worker with the installed esbuild.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const versionOf = (name: string) =>
  (createRequire(join(root, 'package.json'))(`${name}/package.json`) as { version: string }).version;

/**
 * The environment for npm and node in the project: without the npm_* variables of the `npm test` that runs
 * this, which would point npm at this repository instead of the temporary project.
 */
const childEnvironment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')),
);

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, env: childEnvironment, encoding: 'utf8', stdio: 'pipe' });
}

const SAMPLE = `
import { App, Duration, Stack } from 'aws-cdk-lib';
import { createBatchHandler, PermanentError, type SqsBatchResponse } from 'sqs-failsafe';
import { FailsafeConsumer, type FailsafeConsumerProps, InvalidConsumerSettingsError } from 'sqs-failsafe/cdk';
import {
  createConsumerBreakerHandler,
  type ConsumerBreakerReport,
} from 'sqs-failsafe/consumer-breaker';
import { type FailsafeEvent, parseFailsafeEvent, readFailureMetadata } from 'sqs-failsafe/events';
import { createRedriveHandler, redrive, type RedriveReport } from 'sqs-failsafe/redrive';

export const handler = createBatchHandler(async (message: unknown) => {
  if (message === null) throw new PermanentError('empty message');
});
export const answer: Promise<SqsBatchResponse> = handler({ Records: [] }, undefined as never);

const props: FailsafeConsumerProps = {
  timeout: Duration.seconds(20),
  failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] } },
  maxConcurrency: 10,
  redrive: { parkingQueue: true, continuation: 'schedule', cooldown: Duration.minutes(30) },
  circuitBreaker: { threshold: 5, cooldown: Duration.minutes(10) },
  idempotency: { keyPath: 'order.id' },
};
const stack = new Stack(new App(), 'Sample');
export const consumer: FailsafeConsumer = new FailsafeConsumer(stack, 'Orders', props);
export const horizonSeconds: number = consumer.retryHorizon.totalSeconds;
export const isSettingsError = (error: unknown) => error instanceof InvalidConsumerSettingsError;

export const redriveTo = (dlq: string): Promise<RedriveReport> => redrive({ dlq, dryRun: true });
export const redriveFunction = createRedriveHandler;
export const breakerFunction: typeof createConsumerBreakerHandler = createConsumerBreakerHandler;
export type BreakerReports = ConsumerBreakerReport[];
export const eventOf = (body: string): FailsafeEvent => parseFailsafeEvent(JSON.parse(body));
export const failureOf = readFailureMetadata;
`;

const APP = `
import { App, Stack } from 'aws-cdk-lib';
import { AlertTopic, FailsafeConsumer } from 'sqs-failsafe/cdk';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Installed');
const alerts = new AlertTopic(stack, 'Alerts', { emails: ['ops@example.com'] });
const consumer = new FailsafeConsumer(stack, 'Orders', {
  failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 60] } },
  alarmActions: [alerts.action],
});
app.synth();
console.log(JSON.stringify({ horizon: consumer.retryHorizon.totalSeconds }));
`;

describe('the packed package, installed into another project', () => {
  let workspace: string;
  let project: string;

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'sqs-failsafe-package-'));
    // Prepare: npm pack runs prepack, which builds dist/ from a clean slate.
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', workspace], root)) as {
      filename: string;
    }[];
    project = join(workspace, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }, null, 2),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2024',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['sample.ts'],
      }),
    );
    writeFileSync(join(project, 'sample.ts'), SAMPLE);
    writeFileSync(join(project, 'app.mjs'), APP);
    run(
      'npm',
      [
        'install',
        join(workspace, packed?.filename as string),
        `aws-cdk-lib@${versionOf('aws-cdk-lib')}`,
        `constructs@${versionOf('constructs')}`,
        `typescript@${versionOf('typescript')}`,
        `@types/node@${versionOf('@types/node')}`,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      project,
    );
  }, 240_000);

  afterAll(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('ships the built entry points, the handlers and the CLI, and no sources or example app', () => {
    const installed = join(project, 'node_modules', 'sqs-failsafe');
    for (const file of [
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/infra/index.js',
      'dist/infra/index.d.ts',
      'dist/lib/redrive/index.js',
      'dist/lib/consumerBreaker/index.js',
      'dist/lib/events/index.js',
      'dist/functions/worker/handler.js',
      'dist/functions/redrive/handler.js',
      'dist/functions/breakerController/handler.js',
      'dist/cli/index.js',
    ]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json']);
    expect(existsSync(join(installed, 'dist/infra/app.js'))).toBe(false);
    expect(existsSync(join(installed, 'dist/infra/example'))).toBe(false);
  });

  it('ships source maps that carry their sources, since the TypeScript files are not shipped', () => {
    const dist = join(project, 'node_modules', 'sqs-failsafe', 'dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' });
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(dist, file), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      expect(
        map.sourcesContent?.every((content) => typeof content === 'string' && content.length > 0),
        file,
      ).toBe(true);
    }
    // Declaration maps would point editors at .ts files that are not there.
    expect(files.filter((file) => file.endsWith('.d.ts.map'))).toEqual([]);
  });

  it('type-checks a sample that imports every entry point (NodeNext)', () => {
    expect(() =>
      run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', '.'], project),
    ).not.toThrow();
  });

  it('imports each entry point in package.json "exports" with node', () => {
    // One name each entry point is there for.
    const expected: Record<string, string> = {
      '.': 'createBatchHandler',
      './redrive': 'redrive',
      './consumer-breaker': 'createConsumerBreakerHandler',
      './events': 'parseFailsafeEvent',
      './cdk': 'FailsafeConsumer',
    };
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(exports).filter((subpath) => subpath !== './package.json');
    expect(subpaths.sort()).toEqual(Object.keys(expected).sort());
    const specifier = (subpath: string) => `sqs-failsafe${subpath.slice(1)}`;
    const script = `console.log(JSON.stringify(await Promise.all(${JSON.stringify(subpaths)}.map(async (subpath) => {
      const names = ${JSON.stringify(expected)};
      const module = await import(subpath === '.' ? 'sqs-failsafe' : 'sqs-failsafe' + subpath.slice(1));
      return typeof module[names[subpath]];
    }))));`;
    const output = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(JSON.parse(output), subpaths.map(specifier).join(', ')).toEqual(subpaths.map(() => 'function'));
  });

  it('runs the sqs-failsafe bin', () => {
    const output = run(
      process.execPath,
      [join(project, 'node_modules/.bin/sqs-failsafe'), '--version'],
      project,
    );
    expect(output.trim()).toBe(manifest.version);
  });

  it('synthesizes a CDK app that bundles the packaged functions with the installed esbuild', () => {
    // Act
    const outdir = join(project, 'cdk.out');
    const output = run(process.execPath, ['app.mjs', outdir], project);

    // Assess
    // waits 10 + 60, one reserve receive after a visibility timeout of 180, and 4 receives of 30 s
    expect(JSON.parse(output.trim().split('\n').at(-1) as string)).toEqual({ horizon: 370 });
    const template = JSON.parse(readFileSync(join(outdir, 'Installed.template.json'), 'utf8')) as {
      Resources: Record<
        string,
        {
          Type: string;
          Properties: { Code?: { S3Key?: string }; Environment?: { Variables?: Record<string, unknown> } };
        }
      >;
    };
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    // Each function is found by the configuration variable it reads, and bundled from its own handler.
    for (const [variable, handler] of [
      ['SQS_FAILSAFE_CONFIG', 'worker'],
      ['SQS_FAILSAFE_REDRIVE_CONFIG', 'redrive'],
      ['SQS_FAILSAFE_BREAKER_CONFIG', 'breakerController'],
    ] as const) {
      const fn = functions.find((candidate) => candidate.Properties.Environment?.Variables?.[variable]);
      const assetKey = fn?.Properties.Code?.S3Key ?? '';
      const assetDir = join(outdir, `asset.${assetKey.replace(/\.zip$/, '')}`);
      expect(existsSync(join(assetDir, 'index.mjs')), handler).toBe(true);
      // The bundle was built from the installed package, not from this repository (esbuild follows the
      // package's own source maps back to the TypeScript file names).
      const sourceMap = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
      };
      expect(sourceMap.sources).toContainEqual(
        expect.stringMatching(
          new RegExp(`^(\\.\\./)+node_modules/sqs-failsafe/functions/${handler}/handler\\.ts$`),
        ),
      );
      expect(sourceMap.sources.every((source) => source.includes('node_modules/'))).toBe(true);
    }
    // The alert topic from the package: the consumer-health alarm mails through it.
    const alertTopic = Object.entries(template.Resources).find(
      ([id, resource]) => resource.Type === 'AWS::SNS::Topic' && id.startsWith('Alerts'),
    )?.[0];
    const health = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::CloudWatch::CompositeAlarm',
    ) as { Properties: { AlarmActions?: unknown[] } } | undefined;
    expect(health?.Properties.AlarmActions).toEqual([{ Ref: alertTopic }]);
  });
});
