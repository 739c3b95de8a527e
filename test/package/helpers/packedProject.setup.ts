import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { markdownCodeBlocks, npmInstallPackages } from '../../helpers/markdownCodeBlocks.js';
import { REPOSITORY, repositoryVersionOf, run } from './projectCommands.js';

/** What the package tests share: one packed tarball installed into one fresh project. */
export interface PackedProject {
  /** The temporary folder holding the tarball and the project. */
  readonly workspace: string;
  /** A new project (`type: module`) with the package installed from the tarball, as a user would have it. */
  readonly directory: string;
  readonly tarball: string;
  /** The packages the README's `npm install` lines name, as installed (the package as the tarball). */
  readonly readmePackages: readonly string[];
  /** The packages docs/migrating.md's `npm install` lines name (the "before" code's libraries too). */
  readonly migratingPackages: readonly string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    packedProject: PackedProject;
  }
}

/** What the tests compile and synthesize with, whatever the README installs. */
const TOOLING = ['typescript', '@types/node', 'aws-cdk-lib', 'constructs'];

/**
 * Vitest global setup of the `package` project: packs the package as npm would publish it (prepack builds
 * dist/ from a clean slate), and installs the tarball into a fresh project together with what the `npm install`
 * lines of the README and docs/migrating.md name, so the quick start and the migration guide are tried with
 * exactly the install a reader is told to run.
 * Other packages are pinned to the versions this repository tests with, and come from the npm cache that
 * `npm ci` warmed (the registry only for what is missing). Packing and installing once keeps the package
 * tests within minutes.
 */
export default function setup(project: TestProject): () => void {
  const workspace = mkdtempSync(join(tmpdir(), 'sqs-failsafe-package-'));
  const [packed] = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', workspace], REPOSITORY),
  ) as {
    filename: string;
  }[];
  const tarball = join(workspace, packed?.filename as string);
  const directory = join(workspace, 'project');
  mkdirSync(directory);
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }, null, 2),
  );
  const installed = (document: string) =>
    npmInstallPackages(markdownCodeBlocks(readFileSync(join(REPOSITORY, document), 'utf8')));
  const readmePackages = installed('README.md');
  const migratingPackages = installed('docs/migrating.md');
  const pinned = (name: string) => {
    if (name === 'sqs-failsafe') return tarball;
    const version = repositoryVersionOf(name);
    return version === undefined ? name : `${name}@${version}`;
  };
  const packages = [...new Set([...readmePackages, ...migratingPackages, ...TOOLING])].map(pinned);
  run('npm', ['install', ...packages, '--prefer-offline', '--no-audit', '--no-fund'], directory);
  project.provide('packedProject', { workspace, directory, tarball, readmePackages, migratingPackages });
  return () => rmSync(workspace, { recursive: true, force: true });
}
