import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sqs-failsafe';

/**
 * The version in this package's package.json, found by walking up from this module: it sits at a different
 * depth in the repository (cli/) than in the installed package (dist/cli/).
 */
export function packageVersion(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`${PACKAGE_NAME}: cannot find its own package.json`);
    directory = parent;
  }
}
