import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { AwsClients } from '../../../lib/aws/awsClients.js';
import { redriveTarget } from '../../../lib/aws/redrivePolicy.js';
import { getQueueAttributes } from '../../../lib/aws/sqsQueueApi.js';
import { InvalidOptionsError } from '../../../lib/errors.js';
import type { LoggerLike } from '../../../lib/types.js';
import { ActionJobs, ActionRefusedError } from '../actions/actionJobs.js';
import type { ActionRequest, LiveResponse, OverviewResponse } from '../consoleApi.js';
import type { ConsumerDefinition } from '../consumers/consumerInventory.js';
import { consumerStatus, type OldestAgeReader } from '../consumers/consumerStatus.js';
import type { LiveSource } from '../live/liveSource.js';
import { DeadLetterTriage, type TriageOptions } from '../triage/deadLetterTriage.js';
import { consoleSecurity } from './consoleSecurity.js';
import { type FrontEnd, loadFrontEnd } from './frontEnd.js';

export interface ConsoleAppOptions {
  readonly token: string;
  readonly port: () => number;
  readonly consumers: readonly ConsumerDefinition[];
  /** What could not be found while looking for the consumers, shown on the page. */
  readonly problems?: readonly string[];
  readonly aws: AwsClients;
  readonly oldestAge?: OldestAgeReader;
  readonly logger: LoggerLike;
  /** The local pipeline's timeline, during `npm start -- --console`. */
  readonly live?: LiveSource;
  /** Scan and run settings (tests on a local server use no long poll). */
  readonly scan?: TriageOptions['scan'];
  readonly receiveWaitSeconds?: number;
}

/** Message bodies: only ever fetched by the page's script, with the token in a header. */
const isSensitive = (path: string) => path.endsWith('/body');

/**
 * The console's HTTP server as a Hono app: the page (HTML with its bundled script and styles inline) and
 * the JSON API it reads. Every route sits behind consoleSecurity.
 */
export function consoleApp(options: ConsoleAppOptions): Hono {
  const app = new Hono();
  const triages = new Map<string, Promise<DeadLetterTriage>>();
  const jobs = new ActionJobs({
    aws: options.aws,
    logger: options.logger,
    onChanged: (consumerId) => void triages.get(consumerId)?.then((triage) => triage.invalidate()),
    ...(options.receiveWaitSeconds === undefined ? {} : { receiveWaitSeconds: options.receiveWaitSeconds }),
  });
  const consumerOf = (context: Context): ConsumerDefinition => {
    const id = context.req.param('consumer');
    const consumer = options.consumers.find((candidate) => candidate.id === id);
    if (consumer === undefined) throw new NotFoundError(`No consumer ${id}.`);
    return consumer;
  };
  const triageOf = (consumer: ConsumerDefinition): Promise<DeadLetterTriage> => {
    let triage = triages.get(consumer.id);
    if (triage === undefined) {
      triage = openTriage(consumer, options);
      triages.set(consumer.id, triage);
      triage.catch(() => triages.delete(consumer.id));
    }
    return triage;
  };

  app.use('*', consoleSecurity({ token: options.token, port: options.port }, isSensitive));

  app.get('/', async (context) => {
    const nonce = randomBytes(16).toString('base64');
    context.header(
      'content-security-policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; ` +
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    return context.html(page(await loadFrontEnd(), nonce));
  });

  app.get('/api/overview', async (context) => {
    const consumers = await Promise.all(
      options.consumers.map((consumer) =>
        consumerStatus(consumer, {
          aws: options.aws,
          ...(options.oldestAge === undefined ? {} : { oldestAge: options.oldestAge }),
        }),
      ),
    );
    return context.json({
      consumers,
      problems: options.problems ?? [],
      at: new Date().toISOString(),
      live: options.live !== undefined,
    } satisfies OverviewResponse);
  });

  app.get('/api/consumers/:consumer/causes', async (context) => {
    const triage = await triageOf(consumerOf(context));
    return context.json(await triage.causes(context.req.query('refresh') === '1'));
  });

  app.get('/api/consumers/:consumer/causes/:cause/messages', async (context) => {
    const triage = await triageOf(consumerOf(context));
    const limit = Math.min(1_000, Math.max(1, Number(context.req.query('limit') ?? 100) || 100));
    return context.json(await triage.messagesOf(context.req.param('cause'), limit));
  });

  app.get('/api/consumers/:consumer/messages/:message', async (context) => {
    const triage = await triageOf(consumerOf(context));
    const detail = await triage.detail(context.req.param('message'));
    if (detail === undefined) throw new NotFoundError('That message is not in the latest scan of the DLQ.');
    return context.json(detail);
  });

  app.get('/api/consumers/:consumer/messages/:message/body', async (context) => {
    const triage = await triageOf(consumerOf(context));
    const body = await triage.body(context.req.param('message'));
    if (body === undefined) throw new NotFoundError('That message is no longer in the DLQ.');
    return context.json(body);
  });

  app.post('/api/actions', async (context) => {
    const request = (await context.req.json()) as ActionRequest;
    const consumer = options.consumers.find((candidate) => candidate.id === request?.consumerId);
    if (consumer === undefined) throw new NotFoundError(`No consumer ${String(request?.consumerId)}.`);
    return context.json(jobs.start(consumer, request), 202);
  });

  app.get('/api/jobs/:job', (context) => {
    const job = jobs.get(context.req.param('job'));
    if (job === undefined) throw new NotFoundError('No such action.');
    return context.json(job);
  });

  app.get('/api/live', (context) =>
    context.json({
      available: options.live !== undefined,
      charts: options.live?.charts() ?? { times: [], timeLabel: '', charts: [] },
    } satisfies LiveResponse),
  );

  app.notFound((context) => context.json({ error: 'No such page.' }, 404));
  app.onError((error, context) => {
    if (error instanceof NotFoundError) return context.json({ error: error.message }, 404);
    if (error instanceof ActionRefusedError) return context.json({ error: error.message }, 409);
    if (error instanceof InvalidOptionsError || error instanceof SyntaxError)
      return context.json(
        { error: error instanceof InvalidOptionsError ? error.problems.join('; ') : 'Send JSON.' },
        400,
      );
    options.logger.error(`Console request failed: ${error.message}`);
    return context.json({ error: `${error.name}: ${error.message}` }, 500);
  });
  return app;
}

class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/**
 * A DLQ's triage, refused for a queue with a redrive policy of its own: reading it counts a receive on
 * every message, which would push them on to that policy's target.
 */
async function openTriage(
  consumer: ConsumerDefinition,
  options: ConsoleAppOptions,
): Promise<DeadLetterTriage> {
  if (consumer.dlqUrl === undefined)
    throw new NotFoundError(`${consumer.name} has no DLQ (its queue has no redrive policy).`);
  const attributes = await getQueueAttributes(
    consumer.dlqUrl,
    ['RedrivePolicy', 'FifoQueue'],
    { deadline: Date.now() + 10_000 },
    options.aws.sqs,
  );
  if (redriveTarget(attributes.RedrivePolicy) !== undefined)
    throw new ActionRefusedError(
      `${consumer.dlqUrl} has a redrive policy of its own: reading it would count receives towards it, so the console does not.`,
    );
  return new DeadLetterTriage({
    consumerId: consumer.id,
    dlqUrl: consumer.dlqUrl,
    fifo: attributes.FifoQueue === 'true',
    sqs: options.aws.sqs,
    ...(options.scan === undefined ? {} : { scan: options.scan }),
  });
}

function page(frontEnd: FrontEnd, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>sqs-failsafe console</title>
<style nonce="${nonce}">${frontEnd.style}</style>
</head>
<body>
<div id="app"><p class="loading">Loading…</p></div>
<script nonce="${nonce}">${frontEnd.script.replaceAll('</script', '<\\/script')}</script>
</body>
</html>`;
}
