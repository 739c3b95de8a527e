import { describe, expect, it } from 'vitest';
import { sendInGroupOrder } from '../../../lib/redrive/fifoOrder.js';

interface Item {
  readonly id: string;
  readonly group?: string;
}

describe('sendInGroupOrder', () => {
  it('sends the k-th message of every group in round k', async () => {
    const rounds: string[][] = [];
    const items: Item[] = [
      { id: 'a1', group: 'a' },
      { id: 'a2', group: 'a' },
      { id: 'b1', group: 'b' },
      { id: 'a3', group: 'a' },
      { id: 'b2', group: 'b' },
    ];
    const results = await sendInGroupOrder(
      items,
      (item) => item.group,
      async (batch) => {
        rounds.push(batch.map((item) => item.id));
        return batch.map(() => ({ ok: true as const, value: undefined }));
      },
    );
    expect(rounds).toEqual([['a1', 'b1'], ['a2', 'b2'], ['a3']]);
    expect(results.every((result) => result.status === 'sent')).toBe(true);
  });

  it('blocks the rest of a group whose message was refused, and only that group', async () => {
    const items: Item[] = [
      { id: 'a1', group: 'a' },
      { id: 'a2', group: 'a' },
      { id: 'b1', group: 'b' },
      { id: 'b2', group: 'b' },
    ];
    const results = await sendInGroupOrder(
      items,
      (item) => item.group,
      async (batch) =>
        batch.map((item) =>
          item.id === 'a1'
            ? { ok: false as const, reason: 'refused' }
            : { ok: true as const, value: item.id },
        ),
    );
    expect(results.map((result) => result.status)).toEqual(['failed', 'blocked', 'sent', 'sent']);
  });

  it('sends messages without a group (standard queue) in one round', async () => {
    const calls: number[] = [];
    await sendInGroupOrder(
      [{ id: '1' }, { id: '2' }, { id: '3' }],
      (item: Item) => item.group,
      async (batch) => {
        calls.push(batch.length);
        return batch.map(() => ({ ok: true as const, value: undefined }));
      },
    );
    expect(calls).toEqual([3]);
  });
});
