import { InvalidOptionsError } from '../../../lib/errors.js';
import { type ConsumerDefinition, groupConsumers, type Inventory } from './consumerInventory.js';
import { inventoryFromQueues, type NamedConsumer } from './inventoryFromQueues.js';
import { inventoryFromStack, type StackClients } from './inventoryFromStack.js';

export interface ConsumerSelection {
  /** CloudFormation stacks whose consumers to show. */
  readonly stacks: readonly string[];
  /** Work queues named on the command line. */
  readonly queues: readonly NamedConsumer[];
}

/**
 * The consumers the console shows: every consumer of the named stacks and the named work queues. A
 * consumer found twice (a named queue of a named stack) is shown once.
 */
export async function discoverConsumers(
  selection: ConsumerSelection,
  aws: StackClients,
): Promise<{ consumers: ConsumerDefinition[]; problems: string[] }> {
  if (selection.stacks.length === 0 && selection.queues.length === 0) {
    throw new InvalidOptionsError('console options', [
      'name the consumers to show: --stack <name> (every consumer of a deployed stack) or --queue <work queue>',
    ]);
  }
  const inventories: Inventory[] = [];
  for (const stack of selection.stacks) inventories.push(await inventoryFromStack(stack, aws));
  if (selection.queues.length > 0) inventories.push(await inventoryFromQueues(selection.queues, aws));
  const consumers = new Map<string, ConsumerDefinition>();
  for (const inventory of inventories)
    for (const consumer of groupConsumers(inventory))
      if (!consumers.has(consumer.queueUrl)) consumers.set(consumer.queueUrl, consumer);
  return {
    consumers: [...consumers.values()],
    problems: inventories.flatMap((inventory) => inventory.problems),
  };
}
