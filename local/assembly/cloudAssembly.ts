import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One resource of a synthesized CloudFormation template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

export interface StackTemplate {
  readonly stackName: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly outputs: Readonly<Record<string, { Value: unknown; Description?: string }>>;
  /** Local folder of a bundled asset, by the S3 key the template uses for it. */
  readonly assetPathByKey: ReadonlyMap<string, string>;
}

export interface CloudAssembly {
  readonly directory: string;
  readonly stacks: readonly StackTemplate[];
}

interface Manifest {
  artifacts?: Record<
    string,
    { type: string; properties?: { templateFile?: string; file?: string }; displayName?: string }
  >;
}

interface AssetManifest {
  files?: Record<
    string,
    { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }
  >;
}

/**
 * Reads a cloud assembly (cdk.out): each stack's template and where its file assets were staged, so a
 * function can be run from the very bundle `cdk deploy` would upload.
 */
export function loadCloudAssembly(directory: string): CloudAssembly {
  const manifest = readJson<Manifest>(join(directory, 'manifest.json'));
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const assetPathByKey = new Map<string, string>();
  for (const [, artifact] of artifacts) {
    if (artifact.type !== 'cdk:asset-manifest' || artifact.properties?.file === undefined) continue;
    const assets = readJson<AssetManifest>(join(directory, artifact.properties.file));
    for (const asset of Object.values(assets.files ?? {})) {
      for (const destination of Object.values(asset.destinations)) {
        assetPathByKey.set(destination.objectKey, join(directory, asset.source.path));
      }
    }
  }
  const stacks = artifacts.flatMap(([id, artifact]) => {
    if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile === undefined)
      return [];
    const template = readJson<{ Resources?: StackTemplate['resources']; Outputs?: StackTemplate['outputs'] }>(
      join(directory, artifact.properties.templateFile),
    );
    return [
      {
        stackName: artifact.displayName ?? id,
        resources: template.Resources ?? {},
        outputs: template.Outputs ?? {},
        assetPathByKey,
      },
    ];
  });
  return { directory, stacks };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
