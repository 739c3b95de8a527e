import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { FailsafeConsumer } from '../../../infra/index.js';
import { REDRIVE_CONFIG_DEFAULTS } from '../../../lib/config/redriveConfig.js';
import { BenchCheckError } from '../../suite.js';
import { type ConsumerSetup, consumerSetupOf } from './consumerSetup.js';
import { DocumentedSqsConsumer } from './documentedSqsConsumer.js';

/** A stack the suite compares: how a team handles SQS failures with one library. */
export interface Contender {
  readonly id: 'sqs-failsafe' | 'powertools' | 'middy';
  readonly label: string;
}

export const CONTENDERS: readonly Contender[] = [
  { id: 'sqs-failsafe', label: 'sqs-failsafe (defaults)' },
  { id: 'powertools', label: 'Powertools batch' },
  { id: 'middy', label: 'Middy partial-batch' },
];

const workerEntry = (name: string) => fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));

/**
 * Synthesizes each contender's stack into a cloud assembly of its own (the local runtime runs one at a
 * time), bundling the functions as `cdk deploy` would:
 * - sqs-failsafe: a FailsafeConsumer with its defaults, whose consumer is the shipped worker template. One
 *   setting is changed, as `npm start` changes it: the redrive cooldown, a wait the redrive function
 *   measures itself, is divided by the time scale (docs/local-runtime.md, "Time compression").
 * - Powertools and Middy: AWS's documented setup (DocumentedSqsConsumer) with the same function timeout,
 *   memory, runtime, architecture and batch size as the FailsafeConsumer's, read from it.
 * Returns the assembly folder of each.
 */
export function synthesizeStacks(
  outputDirectory: string,
  options: { readonly timeScale: number; readonly contenders: readonly Contender['id'][] },
): Map<Contender['id'], string> {
  const assemblies = new Map<Contender['id'], string>();
  let setup: ConsumerSetup | undefined;
  const synthesize = (id: Contender['id'], build: (stack: Stack) => void) => {
    const directory = join(outputDirectory, id);
    rmSync(directory, { recursive: true, force: true });
    const app = new App({ outdir: directory });
    const stackName = `FailureCost-${id}`;
    build(new Stack(app, stackName));
    const template = app.synth().getStackByName(stackName).template as {
      Resources: Record<string, { Type: string; Properties?: { Architectures?: string[] } }>;
    };
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Architectures?.[0] !== 'arm64') {
        throw new BenchCheckError(
          `${id}: function ${logicalId} is not arm64, but the suite prices arm64 GB-s`,
        );
      }
    }
    if (options.contenders.includes(id)) assemblies.set(id, directory);
  };
  synthesize('sqs-failsafe', (stack) => {
    const consumer = new FailsafeConsumer(stack, 'Consumer', {
      redrive: {
        cooldown: Duration.seconds(Math.ceil(REDRIVE_CONFIG_DEFAULTS.cooldownSeconds / options.timeScale)),
      },
    });
    setup = consumerSetupOf(consumer);
  });
  const shared = setup as ConsumerSetup;
  for (const [id, worker] of [
    ['powertools', 'powertoolsWorker'],
    ['middy', 'middyWorker'],
  ] as const) {
    if (!options.contenders.includes(id)) continue;
    synthesize(
      id,
      (stack) => new DocumentedSqsConsumer(stack, 'Consumer', { entry: workerEntry(worker), setup: shared }),
    );
  }
  return assemblies;
}
