import { describe, expect, it } from 'vitest';
import { UnsupportedNodeError } from '../../lib/errors.js';
import { assertSupportedNode, MINIMUM_NODE_MAJOR } from '../../lib/nodeVersion.js';

describe('assertSupportedNode', () => {
  it('accepts Node 22 and later', () => {
    expect(MINIMUM_NODE_MAJOR).toBe(22);
    for (const version of ['22.0.0', '22.23.3', '24.21.0', '26.1.0']) {
      expect(() => assertSupportedNode(version), version).not.toThrow();
    }
  });

  it('refuses an older Node with a sentence naming the version and the runtimes to choose', () => {
    expect(() => assertSupportedNode('20.19.5')).toThrowError(
      new UnsupportedNodeError('20.19.5', MINIMUM_NODE_MAJOR),
    );
    expect(() => assertSupportedNode('18.20.0')).toThrowError(
      'sqs-failsafe needs Node.js 22 or later, and this is Node.js 18.20.0: choose the nodejs22.x or ' +
        'nodejs24.x Lambda runtime (or install Node.js 22 or 24 where this runs).',
    );
  });
});
