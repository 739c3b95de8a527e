import { describe, expect, it } from 'vitest';
import { isSafeText, REPLACEMENT_CHARACTER, safeText } from '../../../lib/text/safeText.js';

/** What SQS allows in bodies and attribute values (docs/aws-semantics.md#allowed-characters). */
const SQS_ALLOWED = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('safeText', () => {
  it('returns valid short text as it is (the same string, no copy)', () => {
    const text = 'order rejected: no customer 🎉';
    expect(safeText(text, 100)).toBe(text);
  });

  it.each([
    ['a control character (U+0001)', 'bad \u0001 value'],
    ['U+0000', 'nul\u0000here'],
    ['a lone high surrogate', 'half \ud83c pair'],
    ['a lone low surrogate', 'half \udf89 pair'],
    ['U+FFFE and U+FFFF', 'non\ufffe\uffffcharacters'],
  ])('replaces %s with U+FFFD', (_, text) => {
    const safe = safeText(text, 100);
    expect(safe).toMatch(SQS_ALLOWED);
    expect(safe).toContain(REPLACEMENT_CHARACTER);
    expect(safe.length).toBe(text.length);
  });

  it('keeps tabs, newlines and characters beyond the BMP', () => {
    expect(safeText('a\tb\nc\rd 𝄞', 100)).toBe('a\tb\nc\rd 𝄞');
  });

  it('cuts on a code-point boundary: an emoji at the cut is left out whole, never halved', () => {
    // The emoji's two UTF-16 units sit at positions 2,046 and 2,047: a cut at 2,047 units would halve it.
    const text = `${'x'.repeat(2_046)}🎉${'y'.repeat(100)}`;
    const cut = safeText(text, 2_048);
    expect(cut.length).toBeLessThanOrEqual(2_048);
    expect(cut).toMatch(SQS_ALLOWED);
    expect(cut.endsWith('…')).toBe(true);
    expect(isSafeText(cut)).toBe(true);
  });

  it('marks a cut with an ellipsis within the limit', () => {
    expect(safeText('abcdefghij', 5)).toBe('abcd…');
    expect(safeText('abc', 0)).toBe('');
  });
});
