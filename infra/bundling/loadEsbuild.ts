import { createRequire } from 'node:module';

type Esbuild = typeof import('esbuild');

/**
 * esbuild, loaded synchronously because CDK calls a local bundler synchronously (ILocalBundling.tryBundle).
 * Loaded only when a function is bundled, so a stack that skips bundling or a runtime-only install never needs it.
 */
export function loadEsbuild(): Esbuild {
  const require = createRequire(import.meta.url);
  try {
    return require('esbuild') as Esbuild;
  } catch (error) {
    throw new Error(
      'sqs-failsafe bundles Lambda functions with esbuild, which could not be loaded. ' +
        'Install it in your CDK app (`npm install esbuild`) and synthesize again. ' +
        'Bundling never falls back to Docker.',
      { cause: error },
    );
  }
}
