import { describe, expect, it, vi } from 'vitest';

vi.mock('node:module', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:module')>();
  const createRequire = (url: string | URL) => {
    const require = original.createRequire(url);
    return Object.assign((id: string) => {
      if (id === 'esbuild')
        throw Object.assign(new Error("Cannot find module 'esbuild'"), { code: 'MODULE_NOT_FOUND' });
      return require(id);
    }, require);
  };
  return { ...original, createRequire, default: { ...original, createRequire } };
});

describe('loadEsbuild', () => {
  it('tells the user to install esbuild when it cannot be loaded, and never falls back to Docker', async () => {
    const { loadEsbuild } = await import('../../infra/bundling/loadEsbuild.js');

    expect(() => loadEsbuild()).toThrow(
      'sqs-failsafe bundles Lambda functions with esbuild, which could not be loaded. Install it in your CDK ' +
        'app (`npm install esbuild`) and synthesize again. Bundling never falls back to Docker.',
    );
  });
});
