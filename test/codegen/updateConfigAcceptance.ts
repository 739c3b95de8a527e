import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { batchConfigSchemas } from '../../lib/config/batchConfigSchemas.js';
import { batchOptionsExtension } from '../../lib/config/batchOptionsExtension.js';
import * as predicates from '../../lib/config/schemaPredicates.js';
import { compileAcceptance } from './compileAcceptance.js';

/**
 * `npm run codegen`: writes the compiled form of the configuration's schemas
 * (lib/config/acceptance/batchConfigAcceptance.ts). Run it after changing a schema;
 * test/unit/config/acceptance/generatedAcceptance.test.ts fails until then.
 */
export const ACCEPTANCE_FILE = resolve(
  import.meta.dirname,
  '../../lib/config/acceptance/batchConfigAcceptance.ts',
);

/**
 * The keys whose schema is `unknown` because they are checked on their own, as a part: the compiled top
 * level accepts anything there, so each must have its branch in batchConfigCheck.ts (acceptedWhole) and
 * configProblemList.ts (listProblems), written by hand. A new one stops the compilation until both have it.
 */
const CHECKED_APART = { top: ['retry', 'dependencyBreaker', 'idempotency'], retry: ['budget'] };

export function configAcceptanceSource(): string {
  const config = batchConfigSchemas();
  const options = batchConfigSchemas(batchOptionsExtension());
  for (const parts of [config, options])
    for (const part of ['top', 'retry'] as const) {
      const apart = keysOfUnknown(parts[part]);
      if (apart.join() !== CHECKED_APART[part].join())
        throw new Error(
          `${part}: ${apart.join(', ')} accept anything in their schema, to be checked on their own; ` +
            `only ${CHECKED_APART[part].join(', ')} are: give a new one its branch in lib/config/batchConfigCheck.ts ` +
            '(acceptedWhole) and lib/config/configProblemList.ts (listProblems), then list it in CHECKED_APART',
        );
    }
  return compileAcceptance({
    exports: { BATCH_CONFIG_ACCEPTS: { ...config }, BATCH_OPTIONS_ACCEPTS: { ...options } },
    predicates: { specifier: '../schemaPredicates.js', exports: predicates },
  });
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(ACCEPTANCE_FILE, configAcceptanceSource());
  console.log(`wrote ${ACCEPTANCE_FILE}`);
}

function keysOfUnknown(schema: unknown): string[] {
  const { entries = {} } = schema as {
    entries?: Record<string, { type: string; wrapped?: { type: string } }>;
  };
  return Object.entries(entries)
    .filter(([, entry]) => (entry.type === 'optional' ? entry.wrapped?.type : entry.type) === 'unknown')
    .map(([key]) => key);
}
