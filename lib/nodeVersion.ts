import { UnsupportedNodeError } from './errors.js';

/**
 * The oldest Node.js major the package runs on: Lambda's nodejs22.x (supported until 2027-04-30) and
 * nodejs24.x. The runtime relies on what Node 22 added (`Promise.withResolvers`, `Map.groupBy`), so on an
 * older Node it would fail on the first batch with a TypeError that names neither the package nor the fix.
 */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Throws an {@link UnsupportedNodeError} on a Node.js older than {@link MINIMUM_NODE_MAJOR}: called where a
 * handler is created, so an unsupported runtime fails at cold start with a sentence saying what to change.
 *
 * @example
 * assertSupportedNode(); // at the top of a factory
 */
export function assertSupportedNode(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major < MINIMUM_NODE_MAJOR) throw new UnsupportedNodeError(version, MINIMUM_NODE_MAJOR);
}
