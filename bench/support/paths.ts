import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where bench bundles go: ignored by git; each suite wipes its own folder before it builds. */
export const BENCH_OUT = resolve(ROOT, '.bench-out');
