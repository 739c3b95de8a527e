import { it } from 'vitest';
import { alarm, fault, nextVisibility, probe } from './commands.js';
import { runCommands } from './runModel.js';

it('debug', async () => {
  try {
    await runCommands({ deployment: 'standard', seed: 0 }, [fault('Lambda.GetEventSourceMapping', { kind: 'server-error' }, 1), probe(), alarm('ALARM'), nextVisibility()]);
  } catch (error) {
    const world = (error as any).world;
    console.log(String(error));
  }
});
