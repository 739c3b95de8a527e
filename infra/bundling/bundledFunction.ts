import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from './bundledCode.js';

export interface BundledFunctionProps {
  readonly entry: string;
  /** nodejs22.x or nodejs24.x; the bundle is built for it. */
  readonly runtime: lambda.Runtime;
  /** What the function does, for its role's description. */
  readonly purpose: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** A name fixed at synth time, for a function that must know its own ARN. @default generated */
  readonly functionName?: string | undefined;
  /** @default no reserved concurrency */
  readonly reservedConcurrentExecutions?: number | undefined;
  /** X-Ray active tracing (docs/aws-semantics.md#x-ray-active-tracing). @default false */
  readonly tracing?: boolean | undefined;
}

/**
 * A function bundled from an entry file for its Node.js runtime, on arm64, source maps enabled, its own log group, and
 * its own role with no managed policy (its only statements are the log writes here and the grants the
 * construct adds). Ids: `<id>` for the function, `<id>Role` and `<id>LogGroup`.
 */
export function createBundledFunction(
  scope: Construct,
  id: string,
  props: BundledFunctionProps,
): lambda.Function {
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `sqs-failsafe ${props.purpose}`,
  });
  const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, { retention: props.logRetention });
  logGroup.grantWrite(role);
  return new lambda.Function(scope, id, {
    functionName: props.functionName,
    runtime: props.runtime,
    architecture: lambda.Architecture.ARM_64,
    code: bundledCode(props.entry, props.runtime),
    handler: BUNDLED_HANDLER,
    timeout: Duration.seconds(props.timeoutSeconds),
    memorySize: props.memorySize,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    ...(props.tracing === true ? { tracing: lambda.Tracing.ACTIVE } : {}),
    role,
    logGroup,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
  });
}
