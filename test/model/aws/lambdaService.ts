import {
  GetEventSourceMappingCommand,
  type GetEventSourceMappingCommandInput,
  InvokeCommand,
  type InvokeCommandInput,
  UpdateEventSourceMappingCommand,
  type UpdateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { type AwsModel, serviceError } from './awsModel.js';

/** The event source mapping's switch and throttle, which the consumer breaker pauses and resumes. */
export interface MappingState {
  readonly uuid: string;
  readonly functionArn: string;
  readonly eventSourceArn: string;
  enabled: boolean;
  maximumConcurrency: number | undefined;
  lastModified: number;
}

export interface MappingChange {
  readonly before: { readonly enabled: boolean; readonly maximumConcurrency: number | undefined };
  readonly after: { readonly enabled: boolean; readonly maximumConcurrency: number | undefined };
  readonly at: number;
  /** The mapping's LastModified before this change. */
  readonly previousAt: number;
  readonly by: string;
}

/** The Lambda API the product calls: the mapping (breaker controller) and async Invoke (redrive). */
export class LambdaService {
  readonly mapping: MappingState;
  readonly #now: () => number;
  readonly #onChange: (change: MappingChange) => void;
  readonly #onInvoke: (functionName: string, payload: unknown) => void;

  constructor(
    mapping: MappingState,
    now: () => number,
    onChange: (change: MappingChange) => void,
    onInvoke: (functionName: string, payload: unknown) => void,
  ) {
    this.mapping = mapping;
    this.#now = now;
    this.#onChange = onChange;
    this.#onInvoke = onInvoke;
  }

  registerOperations(aws: AwsModel): void {
    aws.register<GetEventSourceMappingCommandInput>(GetEventSourceMappingCommand, {
      name: 'Lambda.GetEventSourceMapping',
      serve: (input) => {
        const mapping = this.#mapping(input.UUID);
        return {
          UUID: mapping.uuid,
          State: mapping.enabled ? 'Enabled' : 'Disabled',
          ScalingConfig:
            mapping.maximumConcurrency === undefined
              ? {}
              : { MaximumConcurrency: mapping.maximumConcurrency },
          LastModified: new Date(mapping.lastModified),
          EventSourceArn: mapping.eventSourceArn,
          FunctionArn: mapping.functionArn,
        };
      },
    });
    aws.register<UpdateEventSourceMappingCommandInput>(UpdateEventSourceMappingCommand, {
      name: 'Lambda.UpdateEventSourceMapping',
      serve: (input, call) => {
        const mapping = this.#mapping(input.UUID);
        const maximum = input.ScalingConfig?.MaximumConcurrency;
        if (maximum !== undefined && (maximum < 2 || maximum > 1_000))
          throw serviceError(
            'InvalidParameterValueException',
            `MaximumConcurrency ${maximum} (2..1000)`,
            'client',
          );
        const before = { enabled: mapping.enabled, maximumConcurrency: mapping.maximumConcurrency };
        const previousAt = mapping.lastModified;
        if (input.Enabled !== undefined) mapping.enabled = input.Enabled;
        if (input.ScalingConfig !== undefined) mapping.maximumConcurrency = maximum;
        mapping.lastModified = this.#now();
        this.#onChange({
          before,
          after: { enabled: mapping.enabled, maximumConcurrency: mapping.maximumConcurrency },
          at: mapping.lastModified,
          previousAt,
          by: call.caller.label,
        });
        return { UUID: mapping.uuid, State: mapping.enabled ? 'Enabling' : 'Disabling' };
      },
    });
    aws.register<InvokeCommandInput>(InvokeCommand, {
      name: 'Lambda.Invoke',
      serve: (input) => {
        const payload = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
        this.#onInvoke(input.FunctionName ?? '', payload);
        return { StatusCode: 202 };
      },
    });
  }

  #mapping(uuid: string | undefined): MappingState {
    if (uuid !== this.mapping.uuid)
      throw serviceError('ResourceNotFoundException', `no event source mapping ${uuid}`, 'client', 404);
    return this.mapping;
  }
}
