import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

/**
 * The API report of each entry point in package.json "exports": every exported name, type-only ones
 * included, with its full signature, as API Extractor writes it (`api/<entry>.api.md`). The reports are
 * checked into the repository and compared by test/package/apiReport.test.ts, so widening the public API
 * (a new name, a new option) shows up as a diff in a reviewed file. `npm run api:update` rewrites them.
 *
 * API Extractor reads declaration files with the TypeScript it bundles, so it works whatever compiler the
 * repository builds with; the declarations come from the repository's own `tsc`.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const REPORT_FOLDER = join(ROOT, 'api');

/**
 * Inside the repository, so the declarations resolve aws-cdk-lib, valibot and @types from its node_modules
 * (but not in node_modules, where API Extractor would take them for another package).
 */
const WORK = join(ROOT, '.api-report');

export interface EntryPoint {
  /** The subpath in package.json "exports" ('.', './redrive', ...). */
  readonly subpath: string;
  /** The report's file name: `root` for '.', the subpath's name otherwise. */
  readonly name: string;
  /** The TypeScript file the entry point is built from. */
  readonly source: string;
  /** Its declaration file in the package (dist/...d.ts). */
  readonly declaration: string;
}

/** The package's entry points, from package.json "exports". */
export function entryPoints(): EntryPoint[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { types: string }>;
  };
  return Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const declaration = (typeof target === 'string' ? target : target.types).replace(/^\.\//, '');
      return {
        subpath,
        name: subpath === '.' ? 'root' : subpath.replace(/^\.\//, ''),
        source: declaration.replace(/^dist\//, '').replace(/\.d\.ts$/, '.ts'),
        declaration,
      };
    });
}

/** Builds the declaration files, as `npm run build` would but without the JavaScript. */
export function buildDeclarations(): string {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const outDir = join(WORK, 'dist');
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      outDir,
      '--emitDeclarationOnly',
      '--sourceMap',
      'false',
      '--inlineSources',
      'false',
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  return WORK;
}

/** Writes the API report of one entry point into `folder` (from declarations `buildDeclarations` made). */
export function writeApiReport(entry: EntryPoint, built: string, folder: string): string {
  mkdirSync(folder, { recursive: true });
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: built,
      mainEntryPointFilePath: join(built, entry.declaration),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'es2022',
            lib: ['es2024', 'esnext.disposable'],
            module: 'nodenext',
            moduleResolution: 'nodenext',
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
        },
      },
      apiReport: {
        enabled: true,
        reportFolder: folder,
        reportTempFolder: join(WORK, 'temp'),
        reportFileName: `${entry.name}.api.md`,
      },
      newlineKind: 'lf',
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Release tags (@public, @beta) are not used: what an entry point exports is public.
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          // These notes carry the declaration's line number, so an unrelated comment edit would fail the
          // comparison; documentation is reviewed in the code, the report is for names and signatures.
          'ae-undocumented': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        },
        // TSDoc's own syntax rules (`@default` is not one of its tags) are not what the report is for.
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
        compilerMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Error, addToApiReportFile: false },
        },
      },
    },
    configObjectFullPath: join(built, 'api-extractor.json'),
    packageJsonFullPath: join(ROOT, 'package.json'),
  });
  const errors: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Error) errors.push(message.formatMessageWithLocation(ROOT));
      message.handled = true;
    },
  });
  if (!result.succeeded || errors.length > 0)
    throw new Error(`API Extractor failed on ${entry.subpath}:\n${errors.join('\n')}`);
  return readFileSync(join(folder, `${entry.name}.api.md`), 'utf8');
}
