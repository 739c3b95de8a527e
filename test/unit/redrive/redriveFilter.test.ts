import { describe, expect, it } from 'vitest';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import { InvalidOptionsError } from '../../../lib/index.js';
import { parseRedriveFilter, type RedriveFilter } from '../../../lib/redrive/index.js';
import { compileFilters, filterProblems } from '../../../lib/redrive/redriveFilter.js';

const message = (body: unknown, attributes: Record<string, string> = {}) => ({
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  ),
});

describe('parseRedriveFilter', () => {
  it.each<[string, RedriveFilter]>([
    ['errorClass=TimeoutError', { errorClass: 'TimeoutError' }],
    ['attribute:tenant=acme', { attribute: 'tenant', equals: 'acme' }],
    [
      'attribute:failsafe.reason=permanent-error',
      { attribute: 'failsafe.reason', equals: 'permanent-error' },
    ],
    ['attribute:note=a=b', { attribute: 'note', equals: 'a=b' }],
    ['$.order.region=eu', { jsonPath: '$.order.region', equals: 'eu' }],
    ['$.qty=3', { jsonPath: '$.qty', equals: 3 }],
    ['$.qty="3"', { jsonPath: '$.qty', equals: '3' }],
    ['$.paid=false', { jsonPath: '$.paid', equals: false }],
    ['$.coupon=null', { jsonPath: '$.coupon', equals: null }],
    ['$.lines[0].sku=A-1', { jsonPath: '$.lines[0].sku', equals: 'A-1' }],
    ['$["content-type"]=json', { jsonPath: '$["content-type"]', equals: 'json' }],
    ['$["a=b"]=c', { jsonPath: '$["a=b"]', equals: 'c' }],
    ['fingerprint=01e4a793', { fingerprint: '01e4a793' }],
    ['messageId=m-1', { messageIds: ['m-1'] }],
    ['messageId=m-1, m-2,,m-3', { messageIds: ['m-1', 'm-2', 'm-3'] }],
  ])('%s', (text, expected) => {
    expect(parseRedriveFilter(text)).toEqual(expected);
  });

  it.each([
    ['colour=red', /unknown filter/],
    ['errorClass=', /the error class is empty/],
    ['fingerprint=', /the fingerprint is empty/],
    ['messageId=,', /no message id given/],
    ['attribute:=x', /expected attribute:<name>=<value>/],
    ['$.a.b', /expected "=" and a value after the path/],
    ['$=1', /names no value/],
    ['$..a=1', /expected a name after "\."/],
  ])('rejects %s', (text, problem) => {
    expect(() => parseRedriveFilter(text)).toThrowError(InvalidOptionsError);
    expect(() => parseRedriveFilter(text)).toThrowError(problem);
  });
});

describe('compiled filters', () => {
  const failed = (errorClass: string) => ({ [FAILURE_ATTRIBUTES.errorClass]: errorClass });

  it('matches the error class from the failure metadata (separate or JSON form)', () => {
    const matches = compileFilters([{ errorClass: 'TimeoutError' }]);
    expect(matches(message('{}', failed('TimeoutError')))).toBe(true);
    expect(matches(message('{}', failed('ValidationError')))).toBe(false);
    expect(
      matches(message('{}', { 'failsafe.failure': JSON.stringify({ errorClass: 'TimeoutError' }) })),
    ).toBe(true);
    expect(matches(message('{}'))).toBe(false);
  });

  it('matches a JSON path strictly: type and value', () => {
    const matches = compileFilters([{ jsonPath: '$.order.qty', equals: 3 }]);
    expect(matches(message({ order: { qty: 3 } }))).toBe(true);
    expect(matches(message({ order: { qty: '3' } }))).toBe(false);
    expect(matches(message({ order: {} }))).toBe(false);
    expect(matches(message({ order: [3] }))).toBe(false);
    expect(matches(message('not json'))).toBe(false);
  });

  it('reads array indexes and does not walk the prototype', () => {
    expect(compileFilters([{ jsonPath: '$.lines[1]', equals: 'b' }])(message({ lines: ['a', 'b'] }))).toBe(
      true,
    );
    expect(compileFilters([{ jsonPath: '$.toString', equals: null }])(message({}))).toBe(false);
  });

  it('matches a cause by its fingerprint id', () => {
    const timeout = {
      [FAILURE_ATTRIBUTES.errorClass]: 'TimeoutError',
      [FAILURE_ATTRIBUTES.reason]: 'max-receives-reached',
      [FAILURE_ATTRIBUTES.errorMessage]: 'inventory timed out after 3000 ms',
    };
    const id = failureFingerprint({
      errorClass: 'TimeoutError',
      reason: 'max-receives-reached',
      errorMessage: 'inventory timed out after 10 ms',
    }).id;
    const matches = compileFilters([{ fingerprint: id }]);
    expect(matches(message('{}', timeout))).toBe(true);
    expect(matches(message('{}', { ...timeout, [FAILURE_ATTRIBUTES.reason]: 'permanent-error' }))).toBe(
      false,
    );
    expect(matches(message('{}'))).toBe(false);
    // Messages without metadata are a cause of their own, which can be selected too.
    expect(compileFilters([{ fingerprint: failureFingerprint(undefined).id }])(message('{}'))).toBe(true);
  });

  it('matches a selection of message ids, and nothing without an id', () => {
    const matches = compileFilters([{ messageIds: ['m-1', 'm-3'] }]);
    expect(matches({ ...message('{}'), messageId: 'm-1' })).toBe(true);
    expect(matches({ ...message('{}'), messageId: 'm-2' })).toBe(false);
    expect(matches(message('{}'))).toBe(false);
  });

  it('needs every filter to match; an empty list matches everything', () => {
    const matches = compileFilters([
      { attribute: 'tenant', equals: 'acme' },
      { jsonPath: '$.region', equals: 'eu' },
    ]);
    expect(matches(message({ region: 'eu' }, { tenant: 'acme' }))).toBe(true);
    expect(matches(message({ region: 'us' }, { tenant: 'acme' }))).toBe(false);
    expect(matches(message({ region: 'eu' }, { tenant: 'other' }))).toBe(false);
    expect(compileFilters([])(message('anything'))).toBe(true);
  });
});

describe('filterProblems', () => {
  it('names each problem of filters given as objects', () => {
    expect(
      filterProblems([
        { errorClass: 'A', jsonPath: '$.x' } as unknown as RedriveFilter,
        { jsonPath: 'x', equals: 1 },
        { jsonPath: '$.x', equals: { nested: true } } as unknown as RedriveFilter,
        { attribute: 'a' } as unknown as RedriveFilter,
        { fingerprint: '' },
        { messageIds: [] },
        { messageIds: ['m-1', 7] } as unknown as RedriveFilter,
      ]),
    ).toEqual([
      'filter[0]: must have exactly one of errorClass, fingerprint, messageIds, attribute or jsonPath',
      'filter[1].jsonPath: a JSON path starts with "$" (got "x")',
      'filter[2].equals: must be a string, number, boolean or null',
      'filter[3]: attribute and equals must be strings',
      'filter[4].fingerprint: must be a fingerprint id (a non-empty string)',
      'filter[5].messageIds: must be a non-empty list of message ids',
      'filter[6].messageIds: must be a non-empty list of message ids',
    ]);
  });
});
