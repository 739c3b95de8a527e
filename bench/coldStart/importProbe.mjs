/**
 * Runs in a fresh Node process, spawned by the cold-start suite (plain JavaScript so that no TypeScript
 * loader sits between Node and the bundle). Usage:
 *
 *   node importProbe.mjs time  <bundle>/index.mjs <event.json>
 *   node importProbe.mjs audit <bundle>/index.mjs <event.json>
 *
 * `time` imports the bundle and invokes its handler once on the event, timing both. `audit` does the
 * same under a module resolution hook that records every module resolved (ESM and require alike), so the
 * parent can show that nothing from @aws-sdk was loaded. The hook costs time, so it is never on in `time`.
 * Prints one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const [mode, entry, eventPath] = process.argv.slice(2);

const resolved = [];
if (mode === 'audit') {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      resolved.push(result.url);
      return result;
    },
  });
}

const importStart = performance.now();
const { handler } = await import(pathToFileURL(entry).href);
const importMs = performance.now() - importStart;

const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const context = { functionName: 'bench-worker', getRemainingTimeInMillis: () => 60_000 };
const batchStart = performance.now();
const response = await handler(event, context);
const firstBatchMs = performance.now() - batchStart;

console.log(
  JSON.stringify({
    importMs,
    firstBatchMs,
    failures: response.batchItemFailures.length,
    resolved: mode === 'audit' ? resolved : undefined,
  }),
);
