import type * as FailureLayerModule from './failureLayer.js';
import { PARTS_FOR_FAILURE_LAYER } from './partsForFailureLayer.js';

export type FailureLayer = typeof FailureLayerModule;

let loaded: FailureLayer | undefined;
let loading: Promise<FailureLayer> | undefined;

/**
 * Loads the failure layer (failureLayer.ts) once per container and hands it the parts it takes from the
 * entry. A load that fails (a broken deployment: its chunk missing) is not remembered, so the next batch
 * tries again; the batch that needed it loses nothing: a stage's records stay reported failed, and a
 * failure before the stages fails the invocation, so that Lambda returns the whole batch to the queue. With
 * idempotency on, a record needs it to run at all (its run through the store is there): such a record
 * fails as the store being unavailable (recordIdempotency.ts) and comes back.
 */
export function loadFailureLayer(): Promise<FailureLayer> {
  loading ??= import('./failureLayer.js').then(
    (layer) => {
      layer.receiveEntryParts(PARTS_FOR_FAILURE_LAYER);
      loaded = layer;
      return layer;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The layer if a batch of this container has loaded it already, so later batches use it without a tick. */
export function loadedFailureLayer(): FailureLayer | undefined {
  return loaded;
}

/** Runs `work` with the layer: at once when it is loaded, after loading it otherwise. */
export function withFailureLayer<T>(work: (layer: FailureLayer) => Promise<T>): Promise<T> {
  return loaded === undefined ? loadFailureLayer().then(work) : work(loaded);
}
