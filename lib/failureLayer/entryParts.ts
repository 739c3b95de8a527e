import type { PartsForFailureLayer } from './partsForFailureLayer.js';

/**
 * The failure layer's view of what it takes from the entry (partsForFailureLayer.ts says why it does not
 * import them): `entry.receiveCountOf(...)`, `entry.errors.DeadLetterRoutingError`, ... It is filled once, by
 * receiveEntryParts, before any of the layer's functions is called: loadFailureLayer.ts does it as it
 * loads the layer (and so does the tests' set-up). Nothing may read it while modules are being evaluated.
 */
export const entry = {} as PartsForFailureLayer;

export function receiveEntryParts(parts: PartsForFailureLayer): void {
  Object.assign(entry, parts);
}
