import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActionJob,
  ActionRequest,
  CausesResponse,
  MessageBody,
  MessageDetail,
  MessageSummary,
  OverviewResponse,
} from '../../../cli/console/consoleApi.js';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import { CAUSES, type ConsoleFixture, causeId, startConsoleFixture } from '../../helpers/consoleFixture.js';
import { type LocalAws, startLocalAws } from '../../helpers/localAws.js';
import { readAll, seed } from '../../helpers/queueMessages.js';

/** The console's API over a DLQ of 5 causes × 8 dead letters on the embedded server. */
const PER_CAUSE = 8;
let server: LocalAws;
let fixture: ConsoleFixture;

beforeAll(async () => {
  server = await startLocalAws();
  fixture = await startConsoleFixture(server, PER_CAUSE);
});
afterAll(async () => {
  await fixture?.close();
  await server?.stop();
});

/** A request as the page sends it: the token in its header, JSON, from the console's own origin. */
async function api<T>(path: string, body?: unknown): Promise<{ status: number; json: T; text: string }> {
  const response = await fetch(`${fixture.console.origin}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'x-console-token': fixture.console.token,
      ...(body === undefined ? {} : { 'content-type': 'application/json', origin: fixture.console.origin }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as T, text };
}

async function finished(job: ActionJob): Promise<ActionJob> {
  let current = job;
  while (current.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await api<ActionJob>(`/api/jobs/${current.id}`)).json;
  }
  return current;
}

const consumerPath = () => `/api/consumers/${encodeURIComponent(fixture.consumer.id)}`;
const action = (request: Omit<ActionRequest, 'consumerId'>) =>
  api<ActionJob>('/api/actions', { consumerId: fixture.consumer.id, ...request });

describe('console API', () => {
  it('finds the consumer from its work queue: the DLQ from the redrive policy, depths in the overview', async () => {
    const { status, json } = await api<OverviewResponse>('/api/overview');
    expect(status).toBe(200);
    expect(json.consumers).toEqual([
      expect.objectContaining({
        id: fixture.queue.name,
        queue: expect.objectContaining({ url: fixture.queue.url, visible: 0 }),
        dlq: expect.objectContaining({ url: fixture.dlq.url, visible: 5 * PER_CAUSE }),
      }),
    ]);
    expect(json.consumers[0]?.parking).toBeUndefined();
    // The embedded server has no Lambda or CloudWatch API: said, not fatal.
    expect(json.consumers[0]?.problems.join(' ')).toMatch(/oldest message age could not be read/);
  });

  it('groups the dead letters by cause: 5 groups, each with its count, first and last seen and samples, no bodies', async () => {
    const { status, json, text } = await api<CausesResponse>(`${consumerPath()}/causes`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ scanned: 5 * PER_CAUSE, truncated: false, fifo: false });
    expect(json.groups).toHaveLength(5);
    for (const [index, cause] of CAUSES.entries()) {
      const group = json.groups.find((candidate) => candidate.id === causeId(index));
      expect(group, cause.errorClass).toMatchObject({
        count: PER_CAUSE,
        errorClass: cause.errorClass,
        reason: cause.reason,
        redriven: 0,
        sources: { [fixture.queue.arn]: PER_CAUSE },
      });
      expect(group?.samples).toHaveLength(5);
      expect(Date.parse(group?.firstSeen ?? '')).toBeLessThan(Date.parse(group?.lastSeen ?? ''));
    }
    expect(json.groups.map((group) => group.label)).toContain(
      'ValidationError: total: expected a number > <n>, got <value>',
    );
    expect(text).not.toMatch(/body-\d/);
    // Read without consuming: every message is back in the DLQ at once.
    expect(await fixture.depth(fixture.dlq)).toBe(5 * PER_CAUSE);
  });

  it("shows one message's metadata and attempt counts without its body; the body only when asked", async () => {
    const { json: messages, text } = await api<MessageSummary[]>(
      `${consumerPath()}/causes/${causeId(1)}/messages`,
    );
    expect(messages).toHaveLength(PER_CAUSE);
    expect(text).not.toMatch(/body-\d/);
    const [first] = messages as [MessageSummary];
    const detail = await api<MessageDetail>(`${consumerPath()}/messages/${first.messageId}`);
    expect(detail.json).toMatchObject({
      messageId: first.messageId,
      causeId: causeId(1),
      errorClass: 'NotFoundError',
      failure: expect.objectContaining({ attempts: 2, receiveCount: 3, functionName: 'orders-worker' }),
      sourceQueueArn: fixture.queue.arn,
    });
    // Today's metadata carries counts only: no per-attempt history yet (the page shows the counts).
    expect(detail.json.attempts).toBeUndefined();
    expect(detail.text).not.toMatch(/body-\d/);
    const body = await api<MessageBody>(`${consumerPath()}/messages/${first.messageId}/body`);
    expect(body.status).toBe(200);
    expect(JSON.parse(body.json.body)).toMatchObject({ cause: 1 });
  });

  it("shows a dead letter's attempt history, one row per attempt, as the runtime wrote it", async () => {
    const { json: messages } = await api<MessageSummary[]>(`${consumerPath()}/causes/${causeId(2)}/messages`);
    const [first] = messages as [MessageSummary];
    const detail = await api<MessageDetail>(`${consumerPath()}/messages/${first.messageId}`);
    expect(detail.json.attempts).toEqual([
      expect.objectContaining({ number: 1, invocation: 'request-1', errorClass: 'TimeoutError' }),
      expect.objectContaining({ number: 2, invocation: 'request-2', errorClass: 'TimeoutError' }),
    ]);
    expect(detail.json.failure).not.toHaveProperty('history');
  });

  it('redrives one cause: a dry run shows the count and the verified destination, then the run moves just that cause', async () => {
    const selection = { fingerprint: causeId(2) };
    const refused = await action({ operation: 'redrive', selection, dryRun: false });
    expect(refused.status).toBe(409);
    expect(refused.json).toEqual({ error: 'Run a dry run of this action first; the real run names it.' });

    const preview = await finished((await action({ operation: 'redrive', selection, dryRun: true })).json);
    expect(preview).toMatchObject({
      state: 'done',
      counts: expect.objectContaining({ moved: PER_CAUSE, skippedByFilter: 4 * PER_CAUSE }),
      destinations: [{ url: fixture.queue.url, messages: PER_CAUSE, namesThisDlq: true }],
    });
    expect(await fixture.depth(fixture.queue)).toBe(0);

    const otherPreview = await action({
      operation: 'redrive',
      selection: { fingerprint: causeId(3) },
      dryRun: false,
      previewJobId: preview.id,
    });
    expect(otherPreview.status).toBe(409);

    const run = await finished(
      (
        await action({
          operation: 'redrive',
          selection,
          dryRun: false,
          previewJobId: preview.id,
          ratePerSecond: 200,
        })
      ).json,
    );
    expect(run).toMatchObject({
      state: 'done',
      counts: expect.objectContaining({ moved: PER_CAUSE, failed: 0 }),
    });
    expect(await fixture.depth(fixture.queue)).toBe(PER_CAUSE);
    expect(await fixture.depth(fixture.dlq)).toBe(4 * PER_CAUSE);
    // The next read of the DLQ shows the change.
    const causes = await api<CausesResponse>(`${consumerPath()}/causes`);
    expect(causes.json.groups.map((group) => group.id)).not.toContain(causeId(2));
    await readAll(server.sqs, fixture.queue.url);
  });

  it('deletes a selection of messages only after a dry run and the typed confirmation', async () => {
    const { json: messages } = await api<MessageSummary[]>(`${consumerPath()}/causes/${causeId(4)}/messages`);
    const selection = { messageIds: messages.slice(0, 3).map((message) => message.messageId) };
    const preview = await finished((await action({ operation: 'delete', selection, dryRun: true })).json);
    expect(preview.counts.deleted).toBe(3);

    const unconfirmed = await action({
      operation: 'delete',
      selection,
      dryRun: false,
      previewJobId: preview.id,
      confirmation: 'yes',
    });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.json).toEqual({ error: 'Type "delete 3" to confirm the delete.' });

    const before = await fixture.depth(fixture.dlq);
    const run = await finished(
      (
        await action({
          operation: 'delete',
          selection,
          dryRun: false,
          previewJobId: preview.id,
          confirmation: 'delete 3',
        })
      ).json,
    );
    expect(run).toMatchObject({ state: 'done', counts: expect.objectContaining({ deleted: 3 }) });
    expect(await fixture.depth(fixture.dlq)).toBe(before - 3);
  });

  it('refuses to park without a parking queue, and says so', async () => {
    const refused = await action({ operation: 'park', selection: { fingerprint: causeId(0) }, dryRun: true });
    expect(refused.status).toBe(409);
    expect(refused.json).toEqual({ error: `${fixture.consumer.name} has no parking queue to park in.` });
  });
});

describe('console API: redrive destinations', () => {
  it('shows a destination whose redrive policy does not name this DLQ, and refuses the real run (the engine’s rule)', async () => {
    // Prepare: a dead letter written straight into the DLQ, its metadata naming an unrelated queue
    const own = await startConsoleFixture(server, 1);
    try {
      const unrelated = await server.createQueue('console-unrelated');
      const failure = { errorClass: 'ForgedError', reason: 'permanent-error', errorMessage: 'forged' };
      await seed(server.sqs, own.dlq.url, [
        {
          body: '{}',
          attributes: {
            [FAILURE_ATTRIBUTES.errorClass]: { DataType: 'String', StringValue: failure.errorClass },
            [FAILURE_ATTRIBUTES.reason]: { DataType: 'String', StringValue: failure.reason },
            [FAILURE_ATTRIBUTES.errorMessage]: { DataType: 'String', StringValue: failure.errorMessage },
            [FAILURE_ATTRIBUTES.sourceQueueArn]: { DataType: 'String', StringValue: unrelated.arn },
          },
        },
      ]);
      const selection = { fingerprint: failureFingerprint(failure).id };
      const request = { consumerId: own.consumer.id, operation: 'redrive' as const, selection };
      const call = async (body: object) => {
        const response = await fetch(`${own.console.origin}/api/actions`, {
          method: 'POST',
          headers: {
            'x-console-token': own.console.token,
            'content-type': 'application/json',
            origin: own.console.origin,
          },
          body: JSON.stringify(body),
        });
        return { status: response.status, json: (await response.json()) as ActionJob & { error?: string } };
      };

      // Act: the dry run, then the real run it names
      let preview = (await call({ ...request, dryRun: true })).json;
      while (preview.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const response = await fetch(`${own.console.origin}/api/jobs/${preview.id}`, {
          headers: { 'x-console-token': own.console.token },
        });
        preview = (await response.json()) as ActionJob;
      }
      const real = await call({ ...request, dryRun: false, previewJobId: preview.id });

      // Assess
      expect(preview.destinations).toEqual([{ url: unrelated.url, messages: 1, namesThisDlq: false }]);
      expect(real.status).toBe(409);
      expect(real.json.error).toMatch(
        /^Not sent: the redrive policy of .*console-unrelated.* does not name this DLQ/,
      );
      expect(await readAll(server.sqs, unrelated.url)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
