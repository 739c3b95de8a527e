import { execFileSync } from 'node:child_process';
import {
  cpSync,
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
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleLambda } from '../../infra/bundling/bundleLambda.js';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import { lambdaContext } from '../helpers/lambdaContext.js';
import { sqsEvent } from '../helpers/sqsEvents.js';
import { functionWithVariable } from './helpers/consumerStack.js';

/** What the construct gives a consumer by default: a DLQ (and so no warning at cold start). */
const DEPLOYED_CONFIG = {
  version: 1,
  deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/work-dlq' },
};

/**
 * The one test that bundles for real (the others skip bundling): the packaged worker, redrive function and
 * breaker controller go through the local esbuild into cloud assembly assets, and the bundles run as
 * Lambda would run them.
 */
describe('bundling with the local esbuild', () => {
  let outdir: string;
  let template: Template;
  /** The asset folder of the function that reads this configuration variable. */
  const assetOf = (variable: string) => {
    const key = template.toJSON().Resources[functionWithVariable(template, variable)].Properties.Code
      .S3Key as string;
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sqs-failsafe-bundling-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled', { env: { account: '111122223333', region: 'eu-west-1' } });
    new FailsafeConsumer(stack, 'Consumer');
    app.synth();
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes an ESM bundle with source maps and split chunks, hashed by its output', () => {
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(join(assetDir, 'chunks')).some((file) => file.endsWith('.mjs'))).toBe(true);
  });

  it('imports no chunk statically from the entry: a cold start reads one file (issue 16)', () => {
    // Powertools is behind import(), and the failure layer is a file of its own (bundleLambda.ts): a module
    // the entry and a lazy chunk both imported would become a chunk the entry imports statically.
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);
    const entry = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(entry).toContain('import("./failureLayer.js")');
    expect(entry).not.toMatch(
      /import\s*(\{[^}]*\}\s*from\s*|\*\s*as\s*[\w$]+\s*from\s*|[\w$]+\s*from\s*)?["']\.\/chunks\//,
    );
  });

  it('writes the failure layer beside the entry as one ES module that imports only the SDK and Node', () => {
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);
    const layer = readFileSync(join(assetDir, 'failureLayer.js'), 'utf8');
    const imported = [...layer.matchAll(/(?:from\s*|import\(\s*)["']([^"']+)["']/g)].map((match) => match[1]);
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((path) => !/^(@aws-sdk\/|node:)/.test(path ?? ''))).toEqual([]);
    // `.js` is an ES module only under a package.json that says so.
    expect(JSON.parse(readFileSync(join(assetDir, 'package.json'), 'utf8'))).toEqual({ type: 'module' });
  });

  it("builds no regular expression at load that nothing uses: valibot's emoji pattern is dropped (issue 16)", () => {
    // esbuild would write a literal with \p{...} as new RegExp(...), which it cannot drop as unused.
    const entry = readFileSync(join(assetOf(BATCH_CONFIG_ENV_VAR), 'index.mjs'), 'utf8');
    expect(entry).not.toContain('Emoji_Presentation');
    expect(entry).not.toContain('new RegExp(');
  });

  it('runs: the bundled handler answers an SQS batch with a partial batch response, its failure layer loaded', async () => {
    // Prepare: the failed record's log line comes from the failure layer, so it proves the layer loaded
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    const { handler } = await import(pathToFileURL(join(assetOf(BATCH_CONFIG_ENV_VAR), 'index.mjs')).href);
    const event = sqsEvent([{ taskId: 't-1', kind: 'thumbnail' }, { taskId: '' }]);
    const failedId = event.Records[1]?.messageId;
    const written: string[] = [];
    // Warnings go to stderr (the Powertools Logger's console).
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    const response = await handler(event, lambdaContext()).finally(() => {
      write.mockRestore();
      process.env.POWERTOOLS_LOG_LEVEL = level;
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: failedId }] });
    expect(written.join('')).toContain(`Message ${failedId} failed (BodyValidationError`);
  });

  it('writes the configuration problem list apart, as CommonJS, and a valid configuration never reads it (issue 16)', () => {
    // Prepare
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);
    const entryUrl = pathToFileURL(join(assetDir, 'index.mjs')).href;
    const script =
      "import { createRequire } from 'node:module';\n" +
      `await import(${JSON.stringify(entryUrl)});\n` +
      'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));\n';

    // Act: a cold start in a process of its own, with the configuration the construct deploys
    const required = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, [BATCH_CONFIG_ENV_VAR]: JSON.stringify(DEPLOYED_CONFIG) },
      }),
    ) as string[];

    // Assess
    expect(existsSync(join(assetDir, 'configProblemList.cjs'))).toBe(true);
    expect(required.filter((path) => path.endsWith('configProblemList.cjs'))).toEqual([]);
    const entry = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(entry).toContain('configProblemList.cjs');
    // The schemas and their messages are in the problem list only.
    expect(entry).not.toContain('strict_object');
    expect(entry).not.toContain('must be an integer from');
  });

  it('refuses a configuration the compiled checks refuse at cold start, listing every problem from that file', async () => {
    // Prepare
    const saved = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({
      ...DEPLOYED_CONFIG,
      concurrency: 0,
      retry: { maxAttempts: 500 },
    });
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);

    // Act: a module instance of its own (the query), so that it is created again with this configuration
    const act = import(`${pathToFileURL(join(assetDir, 'index.mjs')).href}?invalid-config`).finally(() => {
      process.env[BATCH_CONFIG_ENV_VAR] = saved;
    });

    // Assess
    await expect(act).rejects.toThrow(
      /Invalid SQS_FAILSAFE_CONFIG environment variable:\n {2}- concurrency: must be an integer from 1 to 1000 \(got 0\)\n {2}- retry\.maxAttempts: must be an integer from 1 to 100 \(got 500\)/,
    );
    expect(Object.keys(createRequire(import.meta.url).cache)).toContain(
      join(assetDir, 'configProblemList.cjs'),
    );
  });

  it('still refuses a bad configuration, saying why its problems cannot be listed, when the bundle lost that file', async () => {
    // Prepare: the asset copied without configProblemList.cjs (a repackaged deployment)
    const copy = mkdtempSync(join(outdir, 'without-problem-list-'));
    cpSync(assetOf(BATCH_CONFIG_ENV_VAR), copy, { recursive: true });
    rmSync(join(copy, 'configProblemList.cjs'));
    const saved = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({ ...DEPLOYED_CONFIG, concurrency: 0 });

    // Act
    const act = import(pathToFileURL(join(copy, 'index.mjs')).href).finally(() => {
      process.env[BATCH_CONFIG_ENV_VAR] = saved;
    });

    // Assess
    await expect(act).rejects.toThrow(
      /Invalid SQS_FAILSAFE_CONFIG environment variable:\n {2}- could not be checked in full: configProblemList\.cjs, which checks it, did not load \(Error: Cannot find module.*\): deploy every file of the bundle/,
    );
  });

  it('bundles the redrive function and the breaker controller into assets of their own', () => {
    const assets = [BATCH_CONFIG_ENV_VAR, REDRIVE_CONFIG_ENV_VAR, CONSUMER_BREAKER_CONFIG_ENV_VAR].map(
      assetOf,
    );
    expect(new Set(assets).size).toBe(3);
    for (const assetDir of assets) {
      expect(existsSync(join(assetDir, 'index.mjs')), assetDir).toBe(true);
      expect(existsSync(join(assetDir, 'index.mjs.map')), assetDir).toBe(true);
    }
  });

  it('loads the bundled redrive function and controller with their configuration, as a cold start would', async () => {
    // Prepare: configurations as deployed (references resolved)
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/';
    const saved = { ...process.env };
    process.env[REDRIVE_CONFIG_ENV_VAR] = JSON.stringify({
      version: 1,
      dlqUrl: `${queueUrl}dlq`,
      sourceQueueUrl: `${queueUrl}work`,
    });
    process.env[CONSUMER_BREAKER_CONFIG_ENV_VAR] = JSON.stringify({
      version: 1,
      mappingUuid: '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55',
      alarmName: 'transient-failures',
    });
    try {
      // Act
      const redrive = await import(pathToFileURL(join(assetOf(REDRIVE_CONFIG_ENV_VAR), 'index.mjs')).href);
      const controller = await import(
        pathToFileURL(join(assetOf(CONSUMER_BREAKER_CONFIG_ENV_VAR), 'index.mjs')).href
      );

      // Assess
      expect(typeof redrive.handler).toBe('function');
      expect(typeof controller.handler).toBe('function');
    } finally {
      process.env = saved;
    }
  });
});

describe('bundleLambda: the failure layer bundled apart', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sqs-failsafe-layer-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /**
   * What the layer may hold a copy of, besides the entry's: modules without identity, and one cache whose
   * second copy is harmless. Anything else it needs from the entry comes through
   * lib/failureLayer/partsForFailureLayer.ts.
   */
  const COPIES_ALLOWED: Record<string, string> = {
    'lib/time/sleep.ts': 'a function of its arguments',
    'lib/retry/isThrottlingError.ts': 'a function of its arguments',
    'lib/text/safeText.ts': 'a function of its arguments',
    'lib/attempts/attemptHistory.ts': 'the history format: constants and functions of their arguments',
    'lib/deadLetter/failureMetadata.ts': 'attribute names and encoders: constants and functions',
    'lib/idempotency/idempotencyStoreDependency.ts': 'a constant: the name idempotency-store failures carry',
    'lib/aws/awsClients.ts':
      'a cache of SDK clients, one per copy: in a consumer the layer makes the SQS, SNS and ledger clients and the ' +
      'entry the idempotency client; a handler that also calls SQS itself through the package gets a second SQS ' +
      'client, which costs a connection pool, not a result',
  };

  it('copies into the layer only modules without identity: error classes and configuration come from the entry', () => {
    // Act
    const metafile = bundleLambda(join(ROOT, 'functions/worker/handler.ts'), outdir);

    // Assess
    const outputs = Object.entries(metafile.outputs);
    const inputsOf = (suffix: string) => {
      const found = outputs.find(([path]) => path.endsWith(suffix));
      if (found === undefined) throw new Error(`no ${suffix} in the bundle`);
      return Object.entries(found[1].inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path.replace(/^.*?(?=(lib|functions)\/)/, ''));
    };
    const entry = new Set(inputsOf('index.mjs'));
    const copied = inputsOf('failureLayer.js').filter((path) => entry.has(path));
    expect(copied.filter((path) => COPIES_ALLOWED[path] === undefined)).toEqual([]);
    expect(copied).not.toContain('lib/errors.ts');
    // The problem list returns lines of text: it needs nothing of the entry's with an identity either.
    expect(inputsOf('configProblemList.cjs')).not.toContain('lib/errors.ts');
  });

  it('writes the problem list beside a chunk when the handler loads the runtime lazily, and it loads from there', async () => {
    // Prepare: a handler importing the real runtime lazily, with options the compiled checks refuse
    const source = mkdtempSync(join(tmpdir(), 'sqs-failsafe-lazy-config-'));
    writeFileSync(
      join(source, 'handler.mjs'),
      `export const handler = async () => (await import(${JSON.stringify(join(ROOT, 'lib/index.ts'))}))` +
        '.createBatchHandler(async () => {}, { concurrency: 0, configFromEnvironment: false });\n',
    );
    const out = join(outdir, 'lazy-config');

    // Act
    bundleLambda(join(source, 'handler.mjs'), out);

    // Assess
    expect(existsSync(join(out, 'chunks/configProblemList.cjs'))).toBe(true);
    expect(existsSync(join(out, 'configProblemList.cjs'))).toBe(false);
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    await expect(handler()).rejects.toThrow(/concurrency: must be an integer from 1 to 1000 \(got 0\)/);
    expect(Object.keys(createRequire(import.meta.url).cache)).toContain(
      join(out, 'chunks/configProblemList.cjs'),
    );
    rmSync(source, { recursive: true, force: true });
  });

  /** A stand-in runtime: a loader and a layer at the paths bundleLambda knows (lib/failureLayer/). */
  const fakeRuntime = (dir: string, name: string) => {
    mkdirSync(join(dir, 'lib/failureLayer'), { recursive: true });
    writeFileSync(
      join(dir, 'lib/failureLayer/loadFailureLayer.js'),
      "export const load = () => import('./failureLayer.js').then((layer) => layer.name);\n",
    );
    writeFileSync(join(dir, 'lib/failureLayer/failureLayer.js'), `export const name = '${name}';\n`);
  };

  it('writes the layer beside a chunk when the handler loads the runtime lazily, and it loads from there', async () => {
    // Prepare
    const source = mkdtempSync(join(tmpdir(), 'sqs-failsafe-lazy-runtime-'));
    fakeRuntime(source, 'lazy');
    writeFileSync(
      join(source, 'runtime.js'),
      "export { load } from './lib/failureLayer/loadFailureLayer.js';\n",
    );
    writeFileSync(
      join(source, 'handler.mjs'),
      "export const handler = async () => (await import('./runtime.js')).load();\n",
    );
    const out = join(outdir, 'lazy');

    // Act
    bundleLambda(join(source, 'handler.mjs'), out);

    // Assess
    expect(existsSync(join(out, 'chunks/failureLayer.js'))).toBe(true);
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    expect(await handler()).toBe('lazy');
    rmSync(source, { recursive: true, force: true });
  });

  it('gives each of two copies of the runtime in one bundle its own layer (built in one build, as chunks)', async () => {
    // Prepare: two versions of the package, each with its loader; one ./failureLayer.js could hold only one
    const source = mkdtempSync(join(tmpdir(), 'sqs-failsafe-two-runtimes-'));
    fakeRuntime(join(source, 'one'), 'one');
    fakeRuntime(join(source, 'two'), 'two');
    writeFileSync(
      join(source, 'handler.mjs'),
      "import { load as one } from './one/lib/failureLayer/loadFailureLayer.js';\n" +
        "import { load as two } from './two/lib/failureLayer/loadFailureLayer.js';\n" +
        'export const handler = async () => [await one(), await two()];\n',
    );
    const out = join(outdir, 'two');

    // Act
    bundleLambda(join(source, 'handler.mjs'), out);

    // Assess
    expect(existsSync(join(out, 'failureLayer.js'))).toBe(false);
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    expect(await handler()).toEqual(['one', 'two']);
    rmSync(source, { recursive: true, force: true });
  });

  it('refuses an import that esbuild would leave out because it resolves to a failureLayer.js in the working directory', () => {
    // Prepare: esbuild matches a relative external against the working directory too, whatever the specifier
    const cwd = mkdtempSync(join(tmpdir(), 'sqs-failsafe-cwd-'));
    mkdirSync(join(cwd, 'src'));
    writeFileSync(join(cwd, 'failureLayer.js'), 'export const x = 1;\n');
    writeFileSync(
      join(cwd, 'src/handler.mjs'),
      "import { x } from '../failureLayer.js';\nexport const handler = () => x;\n",
    );
    const script =
      `import { bundleLambda } from ${JSON.stringify(pathToFileURL(join(ROOT, 'infra/bundling/bundleLambda.ts')).href)};\n` +
      // An output two levels down, as CDK's (cdk.out/asset.*): esbuild rewrites the import relative to it.
      "try { bundleLambda('src/handler.mjs', 'out/asset'); console.log('bundled'); } catch (error) { console.log(error.message); }\n";

    // Act: in a process of its own, since a test cannot change its working directory
    const output = execFileSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script],
      {
        cwd,
        encoding: 'utf8',
      },
    );

    // Assess
    expect(output).toMatch(
      /src\/handler\.mjs imports '\.\.\/failureLayer\.js', which the bundler leaves out.*Rename that module/,
    );
    rmSync(cwd, { recursive: true, force: true });
  });

  it('gives each of two real copies of the runtime its own problem list (built in one build), each listing every problem', async () => {
    // Prepare: two copies of lib/ inside the repository, so that both find valibot in node_modules
    // (test-artifacts/ is ignored by git: a fresh clone does not have it)
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    const source = mkdtempSync(join(ROOT, 'test-artifacts', 'two-real-runtimes-'));
    for (const copy of ['one', 'two'])
      cpSync(join(ROOT, 'lib'), join(source, copy, 'lib'), { recursive: true });
    writeFileSync(
      join(source, 'handler.mjs'),
      "import { createBatchHandler as one } from './one/lib/index.ts';\n" +
        "import { createBatchHandler as two } from './two/lib/index.ts';\n" +
        'const options = { concurrency: 0, configFromEnvironment: false };\n' +
        'const attempt = (create) => { try { create(async () => {}, options); return "created"; } catch (error) { return error.message; } };\n' +
        'export const handler = async () => [attempt(one), attempt(two)];\n',
    );
    const out = join(outdir, 'two-real');

    // Act
    bundleLambda(join(source, 'handler.mjs'), out);

    // Assess: one file could hold only one copy's schemas, so each keeps its own in the build
    expect(existsSync(join(out, 'configProblemList.cjs'))).toBe(false);
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    const messages = (await handler()) as string[];
    expect(messages).toHaveLength(2);
    for (const message of messages)
      expect(message).toMatch(/concurrency: must be an integer from 1 to 1000 \(got 0\)/);
    rmSync(source, { recursive: true, force: true });
  });

  it("leaves alone a user's module at the path of the runtime's problem-list loader", async () => {
    // Prepare: the user's own lib/config/batchConfigCheck.js, with no compiled checks beside it
    const source = mkdtempSync(join(tmpdir(), 'sqs-failsafe-own-config-'));
    mkdirSync(join(source, 'lib/config'), { recursive: true });
    writeFileSync(join(source, 'lib/config/batchConfigCheck.js'), "export const check = () => 'mine';\n");
    writeFileSync(
      join(source, 'handler.mjs'),
      "import { check } from './lib/config/batchConfigCheck.js';\nexport const handler = async () => check();\n",
    );
    const out = join(outdir, 'own-config');

    // Act
    bundleLambda(join(source, 'handler.mjs'), out);

    // Assess
    expect(existsSync(join(out, 'configProblemList.cjs'))).toBe(false);
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    expect(await handler()).toBe('mine');
    rmSync(source, { recursive: true, force: true });
  });

  it("refuses a user's module that takes the layer's import name, naming it", () => {
    // Prepare
    const source = mkdtempSync(join(tmpdir(), 'sqs-failsafe-stranger-'));
    writeFileSync(join(source, 'handler.mjs'), "export const handler = () => import('./failureLayer.js');\n");
    writeFileSync(join(source, 'failureLayer.js'), 'export const mine = 1;\n');

    // Act
    const act = () => bundleLambda(join(source, 'handler.mjs'), join(outdir, 'stranger'));

    // Assess
    expect(act).toThrow(/handler\.mjs imports '\.\/failureLayer\.js'.*Rename that module/);
    rmSync(source, { recursive: true, force: true });
  });
});
