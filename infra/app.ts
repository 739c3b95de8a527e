import { createExampleApp } from './example/createExampleApp.js';

/**
 * Entry point of `npx cdk synth|deploy` (cdk.json runs `npx tsx infra/app.ts`). Functions are bundled with
 * the local esbuild, never Docker; context keys are documented in docs/deploy.md.
 */
createExampleApp();
