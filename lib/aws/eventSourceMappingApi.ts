import type { LambdaClient } from '@aws-sdk/client-lambda';
import { isRetryableAwsError } from './awsCallError.js';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { lambdaClient, lambdaCommands } from './awsClients.js';
import { retryAwsCall } from './retryAwsCall.js';

/** The event source mapping as the controller sees it (GetEventSourceMapping). */
export interface EventSourceMappingStatus {
  readonly uuid: string;
  /** As AWS reports it: Creating, Enabling, Enabled, Disabling, Disabled, Updating or Deleting. */
  readonly state: string;
  /** ScalingConfig.MaximumConcurrency; undefined when the mapping has none. */
  readonly maximumConcurrency: number | undefined;
  /** Epoch ms of its last update or state change (LastModified): when the consumer breaker last moved. */
  readonly lastModified: number;
  /** The queue it consumes. */
  readonly eventSourceArn: string | undefined;
  /** The consumer function. */
  readonly functionArn: string | undefined;
}

/** UpdateEventSourceMapping, as the consumer breaker uses it. */
export interface EventSourceMappingChange {
  readonly enabled: boolean;
  /** undefined removes the maximum (AWS: an empty ScalingConfig). */
  readonly maximumConcurrency: number | undefined;
}

/**
 * The mapping the consumer breaker pauses and resumes: the Lambda API (awsEventSourceMappings), on AWS and
 * in the local runtime alike (which serves the same API over its emulated mapping). Tests, and a runtime
 * of your own, can pass any other implementation to the controller.
 */
export interface EventSourceMappingControl {
  get(uuid: string): Promise<EventSourceMappingStatus>;
  update(uuid: string, change: EventSourceMappingChange): Promise<void>;
}

/**
 * A mapping that is still settling from its last change (Enabling, Disabling, Updating) refuses another
 * update with one of these; it settles within seconds, so the update is worth repeating.
 */
const MAPPING_BUSY = new Set(['ResourceInUseException', 'ResourceConflictException']);

/** Settling takes seconds, not milliseconds: longer waits than the data-plane default. */
const MAPPING_CALL_POLICY = { maxAttempts: 6, baseDelayMs: 500 } as const;

const retryableForMapping = (error: unknown) =>
  isRetryableAwsError(error) || (error instanceof Error && MAPPING_BUSY.has(error.name));

/**
 * The Lambda API's event source mappings, as the consumer breaker controller uses them: GetEventSourceMapping and
 * UpdateEventSourceMapping (Enabled with ScalingConfig.MaximumConcurrency; an empty ScalingConfig removes
 * the maximum). The SDK is imported on the first call. Needs lambda:GetEventSourceMapping and
 * lambda:UpdateEventSourceMapping on the mapping's ARN only.
 *
 * @example
 * const mappings = awsEventSourceMappings({ deadline: Date.now() + 10_000 });
 * await mappings.update(uuid, { enabled: false, maximumConcurrency: 2 });
 */
export function awsEventSourceMappings(
  policy: AwsCallPolicy,
  client?: LambdaClient,
): EventSourceMappingControl {
  const callPolicy = { ...MAPPING_CALL_POLICY, ...policy };
  return {
    async get(uuid) {
      const [lambda, { GetEventSourceMappingCommand }] = await Promise.all([
        lambdaClient(client),
        lambdaCommands(),
      ]);
      const mapping = await retryAwsCall(
        (abortSignal) => lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }), { abortSignal }),
        callPolicy,
      );
      return {
        uuid: mapping.UUID ?? uuid,
        state: mapping.State ?? 'Unknown',
        maximumConcurrency: mapping.ScalingConfig?.MaximumConcurrency,
        lastModified: mapping.LastModified?.getTime() ?? 0,
        eventSourceArn: mapping.EventSourceArn,
        functionArn: mapping.FunctionArn,
      };
    },
    async update(uuid, change) {
      const [lambda, { UpdateEventSourceMappingCommand }] = await Promise.all([
        lambdaClient(client),
        lambdaCommands(),
      ]);
      await retryAwsCall(
        (abortSignal) =>
          lambda.send(
            new UpdateEventSourceMappingCommand({
              UUID: uuid,
              Enabled: change.enabled,
              ScalingConfig:
                change.maximumConcurrency === undefined
                  ? {}
                  : { MaximumConcurrency: change.maximumConcurrency },
            }),
            { abortSignal },
          ),
        callPolicy,
        retryableForMapping,
      );
    },
  };
}
