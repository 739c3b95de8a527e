import { expect, it } from 'vitest';
import { deploy } from './deployment.js';
import { TODAYS_CONTRACT } from './knownBugs.js';
import { World } from './world.js';

it('runs a batch end to end', async () => {
  const deployment = deploy('standard', {});
  console.log(JSON.stringify({ ...deployment, props: undefined }, null, 1).slice(0, 3000));
  const world = new World({ deployment, seed: 1, strictness: TODAYS_CONTRACT });
  world.start();
  try {
    world.send([{ behaviour: { kind: 'ok' } }, { behaviour: { kind: 'permanent' } }, { behaviour: { kind: 'always-transient' } }]);
    expect(world.poll()).toBe('invoked');
    await world.settle();
    await world.advance(5_000);
    console.log(world.invocations.map((i) => [i.id, i.status, JSON.stringify(i.result)]));
    console.log(world.aws.calls.map((c) => c.operation));
    console.log(world.census(), world.stats, world.violations);
    for (let i = 0; i < 10; i += 1) {
      await world.advanceToNextVisibility();
      world.poll();
      await world.advance(5_000);
    }
    console.log(world.census(), world.stats, world.violations);
    world.assertHealthy('at the end');
  } finally {
    world.dispose();
  }
});
