import { describe, expect, it } from 'vitest';
import {
  failureFingerprint,
  MAX_NORMALISED_CHARS,
  normaliseErrorMessage,
} from '../../../lib/deadLetter/failureFingerprint.js';

const failure = (errorMessage: string, errorClass = 'ValidationError', reason = 'permanent-error') => ({
  errorClass,
  reason,
  errorMessage,
});

describe('failureFingerprint', () => {
  // Each row: failures that are one cause whatever their data.
  it.each<[string, string[]]>([
    ['numbers', ['order 8812 not found', 'order 9 not found', 'order 1,024 not found']],
    ['signed and decimal numbers', ['total: expected > 0, got -3', 'total: expected > 0, got 12.50']],
    [
      'UUIDs',
      [
        'message 0f8fad5b-d9cb-469f-a165-70867728950e failed',
        'message 7c9e6679-7425-40DE-944B-E07FC1F90AE7 failed',
      ],
    ],
    ['hex ids', ['request 5f2b9c0d1e failed', 'request ab12cd34ef56 failed']],
    ['mixed ids', ['no stock for sku ORD_77X', 'no stock for sku ab-12-cd', 'no stock for sku i-0abc12']],
    ['long random ids', ['token q8r7z2k9x1 rejected', 'token 9zzq1vbn2m3 rejected']],
    ['double-quoted values', ['unknown currency "EUR"', 'unknown currency "Swiss franc"']],
    ['single-quoted values', ["unknown currency 'EUR'", "unknown currency 'us dollar'"]],
    ['backquoted values', ['column `total` missing', 'column `sub total` missing']],
    [
      'ARNs',
      [
        'not authorized to perform sns:Publish on arn:aws:sns:eu-west-1:111122223333:orders',
        'not authorized to perform sns:Publish on arn:aws-cn:sns:cn-north-1:444455556666:other-topic',
      ],
    ],
    [
      'URLs',
      [
        'GET https://api.example.com/orders/12?x=1 timed out after 3000 ms',
        'GET http://10.0.0.7:8080/orders timed out after 250 ms',
      ],
    ],
    ['e-mail addresses', ['no account for ada@example.com', 'no account for grace.h+x@mail.example.org']],
    ['timestamps', ['expired at 2024-05-01T10:00:00Z', 'expired at 2025-12-31 23:59:59.123+02:00']],
    ['whitespace', ['line one\n  line two', 'line one line two']],
  ])('groups together: %s', (_, messages) => {
    const ids = new Set(messages.map((message) => failureFingerprint(failure(message)).id));
    expect(ids.size, messages.map((message) => normaliseErrorMessage(message)).join(' | ')).toBe(1);
  });

  // Each row: two failures that are different causes.
  it.each<[string, ReturnType<typeof failure>, ReturnType<typeof failure>]>([
    ['different words', failure('order not found'), failure('customer not found')],
    ['different fields', failure('total: expected a number'), failure('quantity: expected a number')],
    ['different error classes', failure('timed out', 'TimeoutError'), failure('timed out', 'AbortError')],
    [
      'different reasons',
      failure('timed out', 'TimeoutError', 'max-receives-reached'),
      failure('timed out', 'TimeoutError', 'max-age-exceeded'),
    ],
    [
      'apostrophes are not quotes',
      failure("can't parse order's lines"),
      failure("can't parse order's total"),
    ],
    ['short words with digits are words', failure('invalid base64'), failure('invalid utf8')],
    ['a number is not a word', failure('HTTP 503 from inventory'), failure('HTTP 503 from payments')],
  ])('keeps apart: %s', (_, a, b) => {
    expect(failureFingerprint(a).id).not.toBe(failureFingerprint(b).id);
  });

  it.each([
    ['order 8812 not found', 'order <n> not found'],
    ['total: expected a number > 0, got "-3"', 'total: expected a number > <n>, got <value>'],
    ['GET https://api.example.com/orders/12 timed out after 3000 ms', 'GET <url> timed out after <n> ms'],
    ['queue arn:aws:sqs:eu-west-1:111122223333:orders-dlq is full', 'queue <arn> is full'],
    ['request 0f8fad5b-d9cb-469f-a165-70867728950e: sku ab-12', 'request <id>: sku <id>'],
    ['range 1-5', 'range <n>-<n>'],
    ["can't parse order's lines", "can't parse order's lines"],
    ['  spaced\t\tout \n', 'spaced out'],
  ])('normalises %j to %j', (message, expected) => {
    expect(normaliseErrorMessage(message)).toBe(expected);
  });

  it('gives a short stable id and a readable label', () => {
    const cause = failureFingerprint(failure('total: expected a number > 0, got "-3"'));
    expect(cause).toEqual({
      id: expect.stringMatching(/^[\da-f]{8}$/),
      label: 'ValidationError: total: expected a number > <n>, got <value>',
      errorClass: 'ValidationError',
      reason: 'permanent-error',
      message: 'total: expected a number > <n>, got <value>',
    });
    // The id is a function of its input only: the same in every process, on every machine, in every
    // version (ids are written down in runbooks and passed to peek --cause); a change here is breaking.
    expect(cause.id).toBe('01e4a793');
    expect(failureFingerprint(failure('total: expected a number > 7, got "x"')).id).toBe(cause.id);
  });

  it('gives every dead letter without failure metadata one cause', () => {
    const cause = failureFingerprint(undefined);
    expect(cause).toMatchObject({ errorClass: '-', reason: 'moved-by-redrive-policy' });
    expect(cause.label).toBe('-: no failure metadata');
    expect(cause.id).toBe('b49cc219');
  });

  it('names a failure with an empty class Error, and one with an empty message by its class', () => {
    expect(failureFingerprint(failure('boom', '')).label).toBe('Error: boom');
    expect(failureFingerprint(failure('', 'TimeoutError')).label).toBe('TimeoutError');
  });

  it('cuts long messages, so a tail of data cannot split a cause', () => {
    const head = 'x'.repeat(MAX_NORMALISED_CHARS);
    const a = failureFingerprint(failure(`${head} first tail`));
    const b = failureFingerprint(failure(`${head} second tail`));
    expect(a.message.length).toBe(MAX_NORMALISED_CHARS);
    expect(a.id).toBe(b.id);
  });
});
