import { readFileSync } from 'node:fs';
import type { IConfiguration } from 'dependency-cruiser';

/**
 * The architecture rules, checked by `npm run lint` (dependency-cruiser). Each rule's `comment` is what a
 * violation prints, so it says why the rule exists and what to do instead. The README's "Architecture
 * rules" paragraph summarises them; test/unit/architecture/dependencyRules.test.ts proves each one fires.
 *
 * Parser: TypeScript 7 (the native compiler) has no JavaScript API, which dependency-cruiser's `tsc` parser
 * needs, so sources are read with `swc` (@swc/core). It reports type-only imports like any other, so the
 * cycle rule sees them; `.js` specifiers of `.ts` files resolve as TypeScript resolves them.
 */

/** What the npm package ships (package.json "files", tsconfig.build.json): lib, functions, infra, cli. */
const SHIPPED = '^(lib|functions|infra|cli)/';
/** Parts of infra/ the build leaves out: the example app the repository deploys. */
const UNSHIPPED_INFRA = '^infra/(example/|app[.]ts$)';
/** Every folder of source code outside the tests. */
const SOURCE = '^(lib|functions|infra|cli|local|bench)/';
/** Build output and scratch folders: the folders .gitignore lists, so a new one is not cruised either. */
const IGNORED_FOLDERS = readFileSync(new URL('.gitignore', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.endsWith('/') && !line.startsWith('#'))
  .map((line) => line.slice(0, -1).replaceAll('.', '[.]'));

const config: IConfiguration = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules import each other in a cycle (type-only imports count: they show the same tangle). Move ' +
        'what both need into a lower module, usually the one that owns the concept.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-the-base-layer',
      severity: 'error',
      comment:
        'lib/ is the runtime library every other part builds on: it must not import functions/, infra/, ' +
        'cli/, local/ or bench/. Move the shared code down into lib/, or pass it in as a parameter.',
      from: { path: '^lib/' },
      to: { path: '^(functions|infra|cli|local|bench)/' },
    },
    {
      name: 'functions-and-cli-do-not-import-infra',
      severity: 'error',
      comment:
        'infra/ is the CDK side (aws-cdk-lib is an optional peer dependency): a Lambda handler or the CLI ' +
        'that imported it would load the CDK at run time. Share the code through lib/ instead.',
      from: { path: '^(functions|cli)/' },
      to: { path: '^infra/' },
    },
    {
      name: 'shipped-code-does-not-import-dev-tooling',
      severity: 'error',
      comment:
        'functions/, infra/ and cli/ are in the npm package; local/ (the local runtime) and bench/ are not, ' +
        'so an import of them breaks the installed package. Move the code into the shipped folder or lib/.',
      from: { path: '^(functions|infra|cli)/' },
      to: { path: '^(local|bench)/' },
    },
    {
      name: 'no-test-code-outside-test',
      severity: 'error',
      comment:
        'Source code (lib, functions, infra, cli, local, bench) must not import from test/: test helpers ' +
        'are not shipped and may use mocks. Move a helper both need into the source folder that uses it.',
      from: { path: SOURCE },
      to: { path: '^test/' },
    },
    {
      name: 'shipped-code-does-not-import-dev-dependencies',
      severity: 'error',
      comment:
        'The package ships lib, functions, infra and cli; a devDependency is not installed for its users. ' +
        'Make it a dependency (or a peer dependency) and say why in the README, or keep the code out of ' +
        'the package.',
      from: { path: SHIPPED, pathNot: UNSHIPPED_INFRA },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer'] },
    },
    {
      name: 'every-import-resolves',
      severity: 'error',
      comment:
        'An import that does not resolve to a file or an installed package: a typo, a moved file, or a ' +
        'package missing from package.json. (It also keeps these rules honest: a dependency the checker ' +
        'cannot resolve is one it cannot judge.) The one exception is build output: the launcher in bin/ ' +
        'imports the compiled CLI in dist/, which exists in the published package but not in a clean clone.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^[.][.]/dist/' },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: `^(${['[.]git', ...IGNORED_FOLDERS].join('|')})/` },
    enhancedResolveOptions: {
      // Packages are resolved through their "exports" maps, as Node and TypeScript resolve them.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};

export default config;
