import { describe, expect, it } from 'vitest';
import {
  type ConsumerDefinition,
  groupConsumers,
  type Inventory,
  type InventoryQueue,
} from '../../../../cli/console/consumers/consumerInventory.js';

/** Sorting what the console found into consumers: pure, so every shape of an account is a table row. */
const ACCOUNT = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const arnOf = (name: string) => `arn:aws:sqs:eu-west-1:123456789012:${name}`;
const queue = (name: string, dlq?: string, named?: boolean): InventoryQueue => ({
  url: `${ACCOUNT}/${name}`,
  arn: arnOf(name),
  ...(dlq === undefined ? {} : { deadLetterTargetArn: arnOf(dlq) }),
  ...(named === undefined ? {} : { named }),
});
const empty: Inventory = { queues: [], mappings: [], redriveFunctions: [], alarms: [], problems: [] };
const summary = (consumer: ConsumerDefinition) => ({
  name: consumer.name,
  dlq: consumer.dlqUrl?.split('/').pop(),
  parking: consumer.parkingQueueUrl?.split('/').pop(),
  functions: consumer.functionNames,
  alarms: consumer.alarmNames,
});

describe('groupConsumers', () => {
  it.each<[string, Partial<Inventory>, ReturnType<typeof summary>[]]>([
    ['nothing found: no consumers', {}, []],
    [
      'a work queue is one with a redrive policy; its DLQ is not a consumer of its own',
      { queues: [queue('orders', 'orders-dlq'), queue('orders-dlq')] },
      [{ name: 'orders', dlq: 'orders-dlq', parking: undefined, functions: [], alarms: [] }],
    ],
    [
      'a queue an event source mapping reads is a work queue, with or without a DLQ',
      {
        queues: [queue('events')],
        mappings: [{ uuid: 'm1', queueArn: arnOf('events'), functionName: 'events-worker' }],
      },
      [{ name: 'events', dlq: undefined, parking: undefined, functions: ['events-worker'], alarms: [] }],
    ],
    [
      'a queue the operator named is a work queue even when it is some other queue’s DLQ',
      { queues: [queue('orders', 'orders-dlq'), queue('orders-dlq', undefined, true)] },
      [
        { name: 'orders', dlq: 'orders-dlq', parking: undefined, functions: [], alarms: [] },
        { name: 'orders-dlq', dlq: undefined, parking: undefined, functions: [], alarms: [] },
      ],
    ],
    [
      'two consumers in one stack keep their own DLQs, parking queues, functions and alarms',
      {
        queues: [
          queue('orders', 'orders-dlq'),
          queue('orders-dlq'),
          queue('orders-parking'),
          queue('invoices', 'invoices-dlq'),
          queue('invoices-dlq'),
        ],
        mappings: [
          { uuid: 'm1', queueArn: arnOf('orders'), functionName: 'orders-worker' },
          { uuid: 'm2', queueArn: arnOf('invoices'), functionName: 'invoices-worker' },
        ],
        redriveFunctions: [
          {
            functionName: 'orders-redrive',
            dlqUrl: `${ACCOUNT}/orders-dlq`,
            parkingQueueUrl: `${ACCOUNT}/orders-parking`,
            alarmNames: ['orders-health'],
          },
        ],
        alarms: [
          { name: 'orders-dlq-depth', dimensions: [{ name: 'QueueName', value: 'orders-dlq' }] },
          { name: 'orders-errors', dimensions: [{ name: 'FunctionName', value: 'orders-worker' }] },
          { name: 'orders-health', dimensions: [] },
          { name: 'orders-redrive-errors', dimensions: [{ name: 'FunctionName', value: 'orders-redrive' }] },
          { name: 'invoices-age', dimensions: [{ name: 'QueueName', value: 'invoices' }] },
        ],
      },
      [
        {
          name: 'orders',
          dlq: 'orders-dlq',
          parking: 'orders-parking',
          functions: ['orders-worker'],
          alarms: ['orders-dlq-depth', 'orders-errors', 'orders-health', 'orders-redrive-errors'],
        },
        {
          name: 'invoices',
          dlq: 'invoices-dlq',
          parking: undefined,
          functions: ['invoices-worker'],
          alarms: ['invoices-age'],
        },
      ],
    ],
    [
      'composite alarms built on a consumer’s alarms are its own, as far as the chain goes; others are not',
      {
        queues: [queue('orders', 'orders-dlq'), queue('orders-dlq')],
        alarms: [
          { name: 'orders-age', dimensions: [{ name: 'QueueName', value: 'orders' }] },
          { name: 'team-page', dimensions: [], rule: 'ALARM("orders-health") OR ALARM("billing")' },
          { name: 'orders-health', dimensions: [], rule: 'ALARM("orders-age")' },
          { name: 'unrelated', dimensions: [], rule: 'ALARM("billing")' },
        ],
      },
      [
        {
          name: 'orders',
          dlq: 'orders-dlq',
          parking: undefined,
          functions: [],
          alarms: ['orders-age', 'orders-health', 'team-page'],
        },
      ],
    ],
  ])('%s', (_, inventory, expected) => {
    const consumers = groupConsumers({ ...empty, ...inventory });
    expect(
      consumers.map(summary).map((consumer) => ({ ...consumer, alarms: [...consumer.alarms].sort() })),
    ).toEqual(expected);
  });

  it('matches a redrive function to its DLQ when its URL has the legacy host form', () => {
    const [consumer] = groupConsumers({
      ...empty,
      queues: [queue('orders', 'orders-dlq'), queue('orders-dlq')],
      redriveFunctions: [
        {
          functionName: 'orders-redrive',
          dlqUrl: 'https://eu-west-1.queue.amazonaws.com/123456789012/orders-dlq',
          parkingQueueUrl: `${ACCOUNT}/orders-parking`,
          alarmNames: [],
        },
      ],
    });
    expect(consumer?.parkingQueueUrl).toBe(`${ACCOUNT}/orders-parking`);
  });
});
