import { INVOCATIONS_PER_POLLER, UNCAPPED_MAPPING_CONCURRENCY } from '../../aws/serviceLimits.js';
import type { ConsumerSetup } from '../consumerSetup.js';
import type { SetupRule } from '../setupRule.js';
import { isKnown } from '../setupRule.js';

/** The most invocations the mapping runs at once, and what sets that. */
export function mappingConcurrencyCeiling(
  setup: ConsumerSetup,
): { limit: number; setBy: string } | undefined {
  const { mapping } = setup;
  if (mapping === undefined) return undefined;
  if (mapping.maxConcurrency !== undefined) return { limit: mapping.maxConcurrency, setBy: 'maxConcurrency' };
  if (mapping.provisionedPollers !== undefined)
    return {
      limit: mapping.provisionedPollers.maximum * INVOCATIONS_PER_POLLER,
      setBy: `provisionedPollers.maximum (${mapping.provisionedPollers.maximum}) × ${INVOCATIONS_PER_POLLER}`,
    };
  return { limit: UNCAPPED_MAPPING_CONCURRENCY, setBy: 'no maxConcurrency (the mapping scales to 1,250)' };
}

export const RESERVED_CONCURRENCY_COVERS_MAPPING: SetupRule = {
  id: 'reserved-concurrency-covers-mapping',
  severity: 'error',
  summary: "The consumer's reserved concurrency is at least what the event source mapping runs at once.",
  why:
    'a throttled invocation processes nothing, yet its messages come back with one more receive, so under load ' +
    'they move towards maxReceiveCount and the DLQ unprocessed',
  reference: 'docs/aws-semantics.md#throttled-invocations-spend-receives',
  check(setup) {
    const reserved = setup.consumer.reservedConcurrency;
    const ceiling = mappingConcurrencyCeiling(setup);
    if (!isKnown(reserved) || ceiling === undefined || !isKnown(ceiling.limit)) return [];
    if (reserved >= ceiling.limit) return [];
    if (reserved < 2) {
      return [
        {
          prop: 'consumerFunction',
          value: `reserved concurrency ${reserved}`,
          problem:
            reserved === 0
              ? 'a reserved concurrency of 0 throttles every invocation'
              : 'a reserved concurrency of 1 is below the smallest maxConcurrency the mapping takes (2)',
          fix: 'give the consumer function a reserved concurrency of at least 2, or none',
        },
      ];
    }
    return [
      {
        prop: 'maxConcurrency',
        value: setup.mapping?.maxConcurrency === undefined ? 'unset' : String(setup.mapping.maxConcurrency),
        problem: `the mapping may run ${ceiling.limit} invocations at once (${ceiling.setBy}), above the consumer function's reserved concurrency ${reserved}`,
        fix: `set maxConcurrency to at most ${reserved}, or raise the reserved concurrency of consumerFunction`,
      },
    ];
  },
};

export const PROVISIONED_MODE_WITHOUT_MAXIMUM_CONCURRENCY: SetupRule = {
  id: 'provisioned-mode-without-maximum-concurrency',
  severity: 'error',
  summary: 'A mapping in provisioned mode has no maximum concurrency.',
  why: 'Lambda refuses a mapping with both, so the deployment fails',
  reference: 'docs/aws-semantics.md#provisioned-pollers',
  check({ mapping }) {
    if (mapping?.provisionedPollers === undefined || mapping.maxConcurrency === undefined) return [];
    return [
      {
        prop: 'provisionedPollers',
        value: `{ minimum: ${mapping.provisionedPollers.minimum}, maximum: ${mapping.provisionedPollers.maximum} }`,
        problem: `given together with maxConcurrency (${mapping.maxConcurrency})`,
        fix: `leave maxConcurrency unset and bound concurrency with provisionedPollers.maximum (${INVOCATIONS_PER_POLLER} invocations per poller), or drop provisionedPollers`,
      },
    ];
  },
};

export const CONSUMER_BREAKER_NEEDS_ON_DEMAND_MODE: SetupRule = {
  id: 'consumer-breaker-needs-on-demand-mode',
  severity: 'error',
  summary: 'The consumer circuit breaker runs on a mapping in the default (on-demand) mode.',
  why:
    "the breaker's half-open probe sets the mapping's maximum concurrency, which a mapping in provisioned mode " +
    'refuses: the probe fails and the consumer stays paused while messages age',
  reference: 'docs/aws-semantics.md#provisioned-pollers',
  check({ mapping, consumerBreaker }) {
    if (mapping?.provisionedPollers === undefined || consumerBreaker === undefined) return [];
    return [
      {
        prop: 'provisionedPollers',
        value: `{ minimum: ${mapping.provisionedPollers.minimum}, maximum: ${mapping.provisionedPollers.maximum} }`,
        problem: 'given while the consumer circuit breaker is on',
        fix: 'turn the breaker off (circuitBreaker: false), or drop provisionedPollers',
      },
    ];
  },
};
