import { readFileSync } from 'node:fs';

/**
 * The package's version, read from its package.json at run time: found one level up when run from source
 * (cli/), two levels up when run from the build (dist/cli/).
 */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'sqs-failsafe' && manifest.version !== undefined) return manifest.version;
    } catch {
      // Not at this level: try the next.
    }
  }
  return '0.0.0';
}
