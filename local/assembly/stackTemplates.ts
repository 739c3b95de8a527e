import { dirname, join } from 'node:path';
import { AssetManifestArtifact, CloudAssembly, type CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/** One resource of a synthesized CloudFormation template, as the provisioner reads it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/** One stack of the assembly: its template's resources and outputs, and where its file assets were staged. */
export interface StackTemplate {
  readonly stackName: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly outputs: Readonly<Record<string, { Value: unknown; Description?: string }>>;
  /** Local folder of a bundled asset, by the S3 key the template uses for it. */
  readonly assetPathByKey: ReadonlyMap<string, string>;
}

/**
 * The stacks of a synthesized cloud assembly (cdk.out), read with aws-cdk-lib's own reader (`cx-api`), so a
 * function can be run from the very bundle `cdk deploy` would upload. The reader checks the manifest's
 * schema version, which a hand-written parser would silently misread after a CDK upgrade.
 *
 * @example
 * const [stack] = readStackTemplates('cdk.out');
 * stack.assetPathByKey.get('6bea2f2e...zip'); // 'cdk.out/asset.6bea2f2e...'
 */
export function readStackTemplates(directory: string): StackTemplate[] {
  return new CloudAssembly(directory).stacks.map((stack) => ({
    stackName: stack.stackName,
    resources: stack.template.Resources ?? {},
    outputs: stack.template.Outputs ?? {},
    assetPathByKey: stagedAssetPaths(stack),
  }));
}

/** Where each file asset of a stack was staged, by the object key its asset manifest publishes it under. */
function stagedAssetPaths(stack: CloudFormationStackArtifact): Map<string, string> {
  const paths = new Map<string, string>();
  for (const manifest of stack.dependencies.filter(AssetManifestArtifact.isAssetManifestArtifact)) {
    for (const asset of Object.values(manifest.contents.files ?? {})) {
      // Source paths are relative to the asset manifest's own folder.
      const path = join(dirname(manifest.file), asset.source.path ?? '');
      for (const destination of Object.values(asset.destinations)) paths.set(destination.objectKey, path);
    }
  }
  return paths;
}
