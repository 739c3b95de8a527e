/**
 * Sends a batch so that no message of a FIFO group can overtake an earlier one: round k sends the k-th
 * message of every group, in one batch call, and a group whose message failed sends nothing more (its
 * later messages are `blocked`). Entries of one SendMessageBatch can fail one by one, so sending a whole
 * group in one call could deliver message 2 while message 1 was refused. Messages without a group
 * (standard queues) all go in the first round.
 */
export type SendResult<TValue> =
  | { readonly status: 'sent'; readonly value: TValue }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'blocked' };

export async function sendInGroupOrder<TItem, TValue>(
  items: readonly TItem[],
  groupOf: (item: TItem) => string | undefined,
  send: (
    batch: readonly TItem[],
  ) => Promise<readonly ({ ok: true; value: TValue } | { ok: false; reason: string })[]>,
): Promise<SendResult<TValue>[]> {
  const results: SendResult<TValue>[] = new Array(items.length);
  const rounds: number[][] = [];
  const position = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const group = groupOf(item);
    const round = group === undefined ? 0 : (position.get(group) ?? 0);
    if (group !== undefined) position.set(group, round + 1);
    rounds[round] ??= [];
    rounds[round].push(index);
  }

  const blockedGroups = new Set<string>();
  for (const round of rounds) {
    const sendable = round.filter((index) => {
      const group = groupOf(items[index] as TItem);
      if (group !== undefined && blockedGroups.has(group)) {
        results[index] = { status: 'blocked' };
        return false;
      }
      return true;
    });
    if (sendable.length === 0) continue;
    const answers = await send(sendable.map((index) => items[index] as TItem));
    for (const [position, index] of sendable.entries()) {
      const answer = answers[position];
      if (answer?.ok) results[index] = { status: 'sent', value: answer.value };
      else {
        results[index] = { status: 'failed', reason: answer?.reason ?? 'no answer' };
        const group = groupOf(items[index] as TItem);
        if (group !== undefined) blockedGroups.add(group);
      }
    }
  }
  return results;
}
