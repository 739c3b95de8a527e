import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The Lambda runtimes the functions the construct creates may run on, each with the esbuild target its
 * bundles are built for (so a bundle never uses syntax its runtime lacks). Node 22 is the oldest the
 * package supports (lib/nodeVersion.ts); nodejs22.x is supported by Lambda until 2027-04-30.
 */
const ESBUILD_TARGETS: Readonly<Record<string, string>> = {
  [lambda.Runtime.NODEJS_22_X.name]: 'node22',
  [lambda.Runtime.NODEJS_24_X.name]: 'node24',
};

/** The runtime when none is chosen: the newest Lambda offers. */
export const DEFAULT_NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The runtime names allowed, for messages: `nodejs22.x or nodejs24.x`. */
export const SUPPORTED_NODE_RUNTIMES = Object.keys(ESBUILD_TARGETS);

export function isSupportedNodeRuntime(runtime: lambda.Runtime): boolean {
  return ESBUILD_TARGETS[runtime.name] !== undefined;
}

/**
 * The esbuild target for a runtime (`node22` for nodejs22.x).
 *
 * @example
 * esbuildTarget(lambda.Runtime.NODEJS_22_X) // 'node22'
 */
export function esbuildTarget(runtime: lambda.Runtime): string {
  const target = ESBUILD_TARGETS[runtime.name];
  if (target === undefined) {
    throw new Error(
      `sqs-failsafe: cannot bundle for ${runtime.name}; use ${SUPPORTED_NODE_RUNTIMES.join(' or ')}.`,
    );
  }
  return target;
}
