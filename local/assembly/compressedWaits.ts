import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_PREFIX, EXAMPLE_DEFAULTS } from '../../infra/example/exampleContext.js';

/**
 * Waits a function measures itself, against timestamps it stored, cannot be compressed from outside the
 * way queue, alarm and schedule waits are. For the example app these are the redrive cooldown (a
 * timestamp in a DLQ tag), so the local synthesis gets it divided by the time scale: a 15-minute cooldown
 * takes 15 s at 60x. (The breaker's cool-down needs no such help: the local Lambda API reports the
 * mapping's LastModified in compressed time.)
 */
export function compressedWaitsContext(projectDirectory: string, timeScale: number): Record<string, string> {
  const key = `${CONTEXT_PREFIX}redriveCooldownSeconds`;
  const configured = Number(readCdkContext(projectDirectory)[key] ?? EXAMPLE_DEFAULTS.redriveCooldownSeconds);
  if (!Number.isFinite(configured)) return {};
  return { [key]: String(Math.ceil(configured / timeScale)) };
}

function readCdkContext(projectDirectory: string): Record<string, unknown> {
  const file = join(projectDirectory, 'cdk.json');
  if (!existsSync(file)) return {};
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  } catch {
    return {};
  }
}
