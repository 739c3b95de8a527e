import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLED_HANDLER, bundledCode } from '../bundling/bundledCode.js';

export interface ConsumerFunctionProps {
  readonly entry: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The consumer bundled from an entry file: Node.js 24 on arm64, source maps enabled, its own log group,
 * and a role with no managed policy (its only statements are the log writes here and the grants the
 * construct adds).
 */
export function createConsumerFunction(scope: Construct, props: ConsumerFunctionProps): lambda.Function {
  const role = new iam.Role(scope, 'ConsumerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'sqs-failsafe consumer: reads its queue, dead-letters, publishes outcome events',
  });
  const logGroup = new logs.LogGroup(scope, 'ConsumerLogGroup', { retention: props.logRetention });
  logGroup.grantWrite(role);
  return new lambda.Function(scope, 'Consumer', {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    code: bundledCode(props.entry),
    handler: BUNDLED_HANDLER,
    timeout: Duration.seconds(props.timeoutSeconds),
    memorySize: props.memorySize,
    role,
    logGroup,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
  });
}
