import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACCEPTANCE_FILE, configAcceptanceSource } from '../../../codegen/updateConfigAcceptance.js';

describe('the compiled configuration checks', () => {
  it('are compiled from the current schemas (else: npm run codegen)', () => {
    expect(readFileSync(ACCEPTANCE_FILE, 'utf8'), 'run `npm run codegen` after changing a schema').toBe(
      configAcceptanceSource(),
    );
  });
});
