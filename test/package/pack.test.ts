import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { markdownCodeBlocks } from '../helpers/markdownCodeBlocks.js';
import { REPOSITORY, run } from './helpers/projectCommands.js';

/**
 * Users `npm install` sqs-failsafe into their own CDK app. The package tests' global setup packs the package
 * as npm would publish it and installs the tarball into a fresh project; this uses it from there: every entry
 * point in package.json "exports", the types, the CLI, the documentation, and a CDK app that bundles the packaged worker with the
 * installed esbuild.
 */
const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string };

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
  const { directory: project, tarball } = inject('packedProject');
  const installed = join(project, 'node_modules', 'sqs-failsafe');

  beforeAll(() => {
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
  });

  it('ships the built entry points, the handlers, the CLI, the licence and the docs, and no sources or example app', () => {
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
      'bin/sqs-failsafe.js',
      'LICENSE',
      'docs/runtime.md',
    ]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(readdirSync(installed).sort()).toEqual([
      'LICENSE',
      'README.md',
      'bin',
      'dist',
      'docs',
      'package.json',
    ]);
    expect(existsSync(join(installed, 'dist/infra/app.js'))).toBe(false);
    expect(existsSync(join(installed, 'dist/infra/example'))).toBe(false);
  });

  it('carries the Apache-2.0 licence it declares, in full', () => {
    const licence = readFileSync(join(installed, 'LICENSE'), 'utf8');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).license).toBe('Apache-2.0');
    expect(licence).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004/);
    expect(licence).toContain('END OF TERMS AND CONDITIONS');
  });

  it('packs the command with its run bit, so it runs straight from the tarball', () => {
    const listing = run('tar', ['-tvzf', tarball], project);
    expect(listing).toMatch(/^-rwxr-xr-x\s.*\spackage\/bin\/sqs-failsafe\.js$/m);
    expect(statSync(join(installed, 'bin/sqs-failsafe.js')).mode & 0o111).toBe(0o111);
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin).toEqual({
      'sqs-failsafe': 'bin/sqs-failsafe.js',
    });
  });

  it('resolves every relative link of the README and the docs inside the installed package', () => {
    const documents = ['README.md', ...readdirSync(join(installed, 'docs')).map((file) => `docs/${file}`)];
    const broken: string[] = [];
    for (const document of documents) {
      const text = readFileSync(join(installed, document), 'utf8');
      // Links in code blocks are examples, not links.
      const prose = markdownCodeBlocks(text).reduce((rest, block) => rest.replace(block.code, ''), text);
      for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = (target as string).split('#')[0] as string;
        if (path === '' || /^[a-z]+:/i.test(path)) continue;
        const resolved = join(dirname(join(installed, document)), path);
        if (!existsSync(resolved)) broken.push(`${document} -> ${relative(installed, resolved)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('ships source maps that carry their sources, since the TypeScript files are not shipped', () => {
    const dist = join(installed, 'dist');
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
    const { exports } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as {
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
    // 3 attempts (a schedule of 2 waits, then the DLQ): waits 10 + 60, 4 receives nobody reported on, each
    // followed by a visibility timeout of 180, and 3 + 4 receives of 30 s (docs/construct.md, retry horizon)
    expect(JSON.parse(output.trim().split('\n').at(-1) as string)).toEqual({ horizon: 1000 });
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
      // The worker's failure layer, bundled apart from the installed package's compiled runtime.
      if (handler === 'worker') {
        expect(existsSync(join(assetDir, 'failureLayer.js'))).toBe(true);
        expect(readFileSync(join(assetDir, 'index.mjs'), 'utf8')).toContain('import("./failureLayer.js")');
        // And the configuration's problem list, from the package's compiled lib/config.
        expect(existsSync(join(assetDir, 'configProblemList.cjs'))).toBe(true);
        expect(readFileSync(join(assetDir, 'index.mjs'), 'utf8')).toContain('configProblemList.cjs');
      }
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
