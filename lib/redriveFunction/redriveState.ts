import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { listQueueTags, tagQueue } from '../aws/sqsQueueApi.js';

/**
 * What the redrive function remembers between invocations: when it last redrove (for the cooldown), the
 * return breaker's window and whether it is open, and whether a drain is under way (for the schedule
 * continuation).
 *
 * It lives in one tag on the DLQ itself. Tags are free, durable and scoped to the queue they describe; the
 * function already has the DLQ's URL and needs no other resource, table or parameter (which the local
 * runtime, SQS and SNS only, would not have either). A tag holds 256 characters of a restricted set
 * (letters, digits, spaces and `_ . : / = + - @`), so the state is written as `key=value` words rather
 * than JSON. Writes are last-writer-wins: the function is meant to run with a reserved concurrency of 1.
 */
export interface RedriveState {
  /** Epoch ms when the last redrive run (not a dry run) ended (0: never); the cooldown counts from it. */
  readonly lastRunAt: number;
  /** Epoch ms when the return breaker's counting window started (0: no window yet). */
  readonly windowStartedAt: number;
  /** Messages redriven within the window. */
  readonly redriven: number;
  /** Messages that came back to the DLQ carrying a redrive count, within the window. */
  readonly returned: number;
  /** Epoch ms until which the return breaker is open (0: closed). */
  readonly openUntil: number;
  /** A run stopped on its time budget and the schedule is to go on with it. */
  readonly draining: boolean;
}

export const REDRIVE_STATE_TAG = 'sqs-failsafe:redrive-state';

export const INITIAL_REDRIVE_STATE: RedriveState = {
  lastRunAt: 0,
  windowStartedAt: 0,
  redriven: 0,
  returned: 0,
  openUntil: 0,
  draining: false,
};

const KEYS = {
  lastRunAt: 'last',
  windowStartedAt: 'window',
  redriven: 'redriven',
  returned: 'returned',
  openUntil: 'open',
} as const;

/** `v=1 last=1795552984000 window=... redriven=120 returned=4 open=0 draining=0` */
export function encodeRedriveState(state: RedriveState): string {
  const words = Object.entries(KEYS).map(
    ([field, key]) => `${key}=${Math.max(0, Math.floor(state[field as keyof typeof KEYS]))}`,
  );
  return ['v=1', ...words, `draining=${state.draining ? 1 : 0}`].join(' ');
}

/** Reads the tag back; anything missing or unreadable falls back to the initial value. */
export function decodeRedriveState(text: string | undefined): RedriveState {
  if (text === undefined) return INITIAL_REDRIVE_STATE;
  const values = new Map(
    text
      .split(' ')
      .map((word) => word.split('='))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  const number = (key: string) => {
    const value = Number(values.get(key));
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  };
  return {
    lastRunAt: number(KEYS.lastRunAt),
    windowStartedAt: number(KEYS.windowStartedAt),
    redriven: number(KEYS.redriven),
    returned: number(KEYS.returned),
    openUntil: number(KEYS.openUntil),
    draining: values.get('draining') === '1',
  };
}

export async function loadRedriveState(
  dlqUrl: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<RedriveState> {
  const tags = await listQueueTags(dlqUrl, policy, client);
  return decodeRedriveState(tags[REDRIVE_STATE_TAG]);
}

export async function saveRedriveState(
  dlqUrl: string,
  state: RedriveState,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<void> {
  await tagQueue(dlqUrl, { [REDRIVE_STATE_TAG]: encodeRedriveState(state) }, policy, client);
}
