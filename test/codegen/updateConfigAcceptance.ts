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

export function configAcceptanceSource(): string {
  return compileAcceptance({
    exports: {
      BATCH_CONFIG_ACCEPTS: { ...batchConfigSchemas() },
      BATCH_OPTIONS_ACCEPTS: { ...batchConfigSchemas(batchOptionsExtension()) },
    },
    predicates: { specifier: '../schemaPredicates.js', exports: predicates },
  });
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(ACCEPTANCE_FILE, configAcceptanceSource());
  console.log(`wrote ${ACCEPTANCE_FILE}`);
}
