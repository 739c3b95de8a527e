/**
 * Text the runtime writes into SQS message attributes and SNS messages (failure metadata, attempt history,
 * outcome events) comes from errors it does not control: any character, any length. SQS refuses a whole
 * message whose attribute holds a character outside its allowed set (docs/aws-semantics.md#allowed-characters),
 * and a dead letter SQS refuses stays in the source queue, bouncing. So every such text goes through this
 * one module: characters SQS and SNS refuse become U+FFFD, and a long text is cut on a code-point boundary
 * (never inside a surrogate pair, which would leave a lone surrogate SQS refuses too).
 */

/** Any character outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (lone surrogates included). */
const REFUSED = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const REFUSED_ALL = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** What a refused character becomes: the Unicode replacement character, itself allowed. */
export const REPLACEMENT_CHARACTER = '\ufffd';

/** Marks a text that was cut. */
const ELLIPSIS = '…';

/**
 * `text` with every character SQS and SNS refuse replaced, cut to at most `maxLength` UTF-16 code units
 * (an ellipsis marks the cut), never inside a surrogate pair. Returns `text` itself when it is already
 * valid and short enough, so the common case allocates nothing.
 *
 * @example
 * safeText('bad \u0001 value 🎉', 12); // 'bad \ufffd value…'
 */
export function safeText(text: string, maxLength: number): string {
  const valid = REFUSED.test(text) ? text.replace(REFUSED_ALL, REPLACEMENT_CHARACTER) : text;
  return valid.length <= maxLength ? valid : cutAtCodePoint(valid, maxLength);
}

/** True when SQS and SNS accept every character of `text`. */
export function isSafeText(text: string): boolean {
  return !REFUSED.test(text);
}

function cutAtCodePoint(text: string, maxLength: number): string {
  if (maxLength <= 0) return '';
  let end = maxLength - ELLIPSIS.length;
  // A high surrogate right before the cut belongs to a pair the cut would split: leave the pair out.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}
