/**
 * `sqs-failsafe/consumer-breaker`: the consumer breaker, which pauses a consumer's event source mapping
 * while a dependency is down and resumes it through a half-open probe: its controller function (factory and
 * configuration), and the controller itself for a runtime of your own (your own ports to the mapping, the
 * alarm and the topic). Not the dependency breaker (a batch option) nor the redrive's return breaker.
 */

export type { AlarmState, AlarmStateReader } from '../alarms/alarmState.js';
export type { AlarmDelivery, AlarmMetric, AlarmStateChange } from '../alarms/alarmStateChange.js';
export type { AwsClients } from '../aws/awsClients.js';
export type {
  EventSourceMappingChange,
  EventSourceMappingControl,
  EventSourceMappingStatus,
} from '../aws/eventSourceMappingApi.js';
export {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  type ConsumerBreakerConfig,
  consumerBreakerConfigEnvironment,
  type ResolvedConsumerBreakerConfig,
  resolveConsumerBreakerConfig,
} from '../config/consumerBreakerConfig.js';
export type { LambdaContextLike } from '../event/sqsEvent.js';
export type { LoggerLike } from '../types.js';
export {
  type ConsumerBreakerController,
  type ConsumerBreakerPorts,
  type ConsumerBreakerReport,
  createConsumerBreakerController,
} from './consumerBreakerController.js';
export type { ConsumerBreakerAction } from './consumerBreakerDecision.js';
export type { ConsumerBreakerState } from './consumerBreakerState.js';
export {
  CONSUMER_BREAKER_PROBE_EVENT,
  type ConsumerBreakerTrigger,
  readConsumerBreakerTriggers,
} from './consumerBreakerTrigger.js';
export type {
  ConsumerBreakerEvent,
  ConsumerEventPublisher,
  ConsumerPausedEvent,
  ConsumerResumedEvent,
} from './consumerEvents.js';
export {
  type ConsumerBreakerHandlerOptions,
  createConsumerBreakerHandler,
} from './createConsumerBreakerHandler.js';
