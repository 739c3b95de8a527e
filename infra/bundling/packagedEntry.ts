import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The entry file of a handler this package ships (`functions/<name>/handler`), found relative to this module
 * so that it resolves the same way in this repository (TypeScript run by tsx or vitest) and when installed
 * from npm (compiled JavaScript under `dist/`), never relative to the user's working directory.
 *
 * @example
 * packagedHandlerEntry('worker') // .../node_modules/sqs-failsafe/dist/functions/worker/handler.js
 */
export function packagedHandlerEntry(name: string): string {
  // This file sits in infra/bundling/, two levels below the root that holds functions/.
  const ownExtension = extname(fileURLToPath(import.meta.url));
  const entry = fileURLToPath(new URL(`../../functions/${name}/handler${ownExtension}`, import.meta.url));
  if (!existsSync(entry)) {
    throw new Error(`sqs-failsafe: the ${name} handler is missing from the package (looked for ${entry}).`);
  }
  return entry;
}
