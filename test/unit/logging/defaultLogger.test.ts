import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDefaultLogger } from '../../../lib/logging/defaultLogger.js';

describe('default logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes structured JSON through Powertools once a line at an enabled level is written', async () => {
    // Prepare
    const written: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
    }
    const logger = createDefaultLogger({ POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_SERVICE_NAME: 'orders' });
    // Act
    logger.info('not written at WARN');
    logger.warn('retry left to SQS', { messageId: 'm-1' });
    await logger.flush();
    // Assess
    const lines = written
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'retry left to SQS',
        service: 'orders',
        messageId: 'm-1',
      }),
    ]);
  });

  it('never loads Powertools when nothing reaches the level', async () => {
    const logger = createDefaultLogger({ POWERTOOLS_LOG_LEVEL: 'SILENT' });
    logger.error('muted');
    await expect(logger.flush()).resolves.toBeUndefined();
  });
});
