import type { AlarmState, AlarmStateReader } from '../alarms/alarmState.js';
import type { EventSourceMappingControl, EventSourceMappingStatus } from '../aws/eventSourceMappingApi.js';
import type { ResolvedConsumerBreakerConfig } from '../config/consumerBreakerConfig.js';
import { toError } from '../errors.js';
import { assertSupportedNode } from '../nodeVersion.js';
import type { LoggerLike } from '../types.js';
import {
  type ConsumerBreakerAction,
  type ConsumerBreakerDecision,
  decideConsumerBreakerAction,
  probeNeedsAlarmState,
} from './consumerBreakerDecision.js';
import type { ConsumerBreakerState } from './consumerBreakerState.js';
import { consumerBreakerStateOf } from './consumerBreakerState.js';
import type { ConsumerBreakerTrigger } from './consumerBreakerTrigger.js';
import {
  type ConsumerEventPublisher,
  consumerPausedEvent,
  consumerResumedEvent,
  type TransitionFacts,
} from './consumerEvents.js';

/** What the controller did on one trigger, returned by the handler and logged. */
export interface ConsumerBreakerReport {
  readonly trigger: ConsumerBreakerTrigger['kind'];
  readonly mappingUuid: string;
  readonly before: ConsumerBreakerState;
  readonly action: ConsumerBreakerAction;
  readonly after: ConsumerBreakerState;
  readonly reason: string;
  /** The alarm state the decision used, when it used one. */
  readonly alarmState?: AlarmState | undefined;
}

/**
 * What the controller acts through. Its function (createConsumerBreakerHandler) passes the Lambda,
 * CloudWatch and SNS APIs, on AWS and in the local runtime alike, which serves those APIs itself; tests and
 * runtimes of your own pass their own.
 */
export interface ConsumerBreakerPorts {
  readonly mappings: EventSourceMappingControl;
  readonly alarms: AlarmStateReader;
  /** Where consumer.paused / consumer.resumed go; none: not published. */
  readonly events?: ConsumerEventPublisher | undefined;
  readonly logger: LoggerLike;
  readonly now?: () => number;
}

export interface ConsumerBreakerController {
  /** Reads the mapping, decides, acts, publishes; one report per trigger. Throws when AWS refuses. */
  handle(trigger: ConsumerBreakerTrigger, requestId?: string): Promise<ConsumerBreakerReport>;
}

/**
 * The consumer breaker (a circuit breaker on the whole consumer): pauses the event source mapping while
 * the transient-failure alarm says a dependency is down (messages wait in the queue, their receive counts
 * stop growing, nothing is dead-lettered), probes at low concurrency after a cool-down, and restores full
 * concurrency once the alarm stays quiet. It keeps no state of its own: every decision starts from the
 * mapping (consumerBreakerStateOf).
 *
 * @example
 * const controller = createConsumerBreakerController(resolveConsumerBreakerConfig(config), {
 *   mappings: { get: async (uuid) => status, update: async (uuid, change) => {} },
 *   alarms: { stateOf: async (alarmName) => 'OK' },
 *   logger,
 * });
 * for (const trigger of readConsumerBreakerTriggers(event)) await controller.handle(trigger);
 */
export function createConsumerBreakerController(
  config: ResolvedConsumerBreakerConfig,
  ports: ConsumerBreakerPorts,
): ConsumerBreakerController {
  assertSupportedNode();
  const now = ports.now ?? Date.now;
  const { logger } = ports;

  return {
    async handle(trigger, requestId) {
      const mapping = await ports.mappings.get(config.mappingUuid);
      const before = consumerBreakerStateOf(mapping, config);
      const report = (
        decision: ConsumerBreakerDecision,
        after: ConsumerBreakerState,
        alarmState?: AlarmState,
      ): ConsumerBreakerReport => ({
        trigger: trigger.kind,
        mappingUuid: config.mappingUuid,
        before,
        action: decision.action,
        after,
        reason: decision.reason,
        ...(alarmState === undefined ? {} : { alarmState }),
      });

      if (trigger.kind === 'alarm' && trigger.change.alarmName !== config.alarmName) {
        return report(
          { action: 'none', reason: `an event of another alarm (${trigger.change.alarmName})` },
          before,
        );
      }
      if (trigger.kind === 'alarm' && trigger.change.changedAt < mapping.lastModified) {
        // Delivered late (an SNS or async-invoke retry): the mapping has moved on since, and the probe
        // reconciles with the alarm's current state anyway.
        return report(
          {
            action: 'none',
            reason: `a stale alarm event (${new Date(trigger.change.changedAt).toISOString()}) older than the mapping's last change`,
          },
          before,
        );
      }

      const sinceChangeMs = now() - mapping.lastModified;
      let alarmState: AlarmState | undefined;
      if (trigger.kind === 'alarm') alarmState = trigger.change.state;
      else if (probeNeedsAlarmState(before, sinceChangeMs, config)) {
        alarmState = await ports.alarms.stateOf(config.alarmName);
        if (alarmState === undefined)
          logger.warn('The breaker alarm does not exist; check alarmName', { alarmName: config.alarmName });
      }

      const decision = decideConsumerBreakerAction(
        { state: before, trigger: trigger.kind, alarmState, sinceChangeMs },
        config,
      );
      if (decision.action === 'none') {
        logger.debug('Breaker: nothing to do', { state: before, reason: decision.reason });
        return report(decision, before, alarmState);
      }

      const after = await apply(decision, mapping);
      logger.info(`Breaker: ${before} -> ${after}`, {
        mappingUuid: config.mappingUuid,
        action: decision.action,
        reason: decision.reason,
        trigger: trigger.kind,
      });
      await publish(decision, {
        config,
        mapping,
        trigger: trigger.kind,
        previousState: before as TransitionFacts['previousState'],
        reason: decision.reason,
        now: now(),
        requestId,
      });
      return report(decision, after, alarmState);
    },
  };

  /**
   * Every transition is one UpdateEventSourceMapping, whose fields are what consumerBreakerStateOf reads
   * back.
   */
  async function apply(
    decision: ConsumerBreakerDecision,
    mapping: EventSourceMappingStatus,
  ): Promise<ConsumerBreakerState> {
    switch (decision.action) {
      case 'pause':
        await ports.mappings.update(mapping.uuid, {
          enabled: false,
          maximumConcurrency: config.halfOpenConcurrency,
        });
        return 'open';
      case 'half-open':
        await ports.mappings.update(mapping.uuid, {
          enabled: true,
          maximumConcurrency: config.halfOpenConcurrency,
        });
        return 'half-open';
      default:
        await ports.mappings.update(mapping.uuid, {
          enabled: true,
          maximumConcurrency: config.fullConcurrency,
        });
        return 'closed';
    }
  }

  /** Best effort: the transition is done; a lost event is logged, never undone or retried by a throw. */
  async function publish(decision: ConsumerBreakerDecision, facts: TransitionFacts): Promise<void> {
    if (ports.events === undefined) return;
    const event =
      decision.action === 'pause'
        ? consumerPausedEvent(facts)
        : decision.action === 'half-open'
          ? consumerResumedEvent(facts, 'half-open', config.halfOpenConcurrency)
          : consumerResumedEvent(facts, 'full', config.fullConcurrency);
    try {
      await ports.events.publish(event);
    } catch (thrown) {
      const error = toError(thrown);
      logger.error('Breaker event not published; the transition itself is done', {
        eventType: event.type,
        error: { name: error.name, message: error.message },
      });
    }
  }
}
