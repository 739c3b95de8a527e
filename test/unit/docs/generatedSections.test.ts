import { describe, expect, it } from 'vitest';
import { readGeneratedDoc, withGeneratedSections } from '../../docs/generatedSections.js';

describe('docs written from code', () => {
  it('docs/construct.md holds the setup rules and the bad-input table as the code and tests have them (npm run docs:update)', () => {
    const document = readGeneratedDoc();
    expect(document).toBe(withGeneratedSections(document));
  });
});
