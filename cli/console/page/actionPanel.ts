import type { ActionJob, ActionOperation, ActionRequest, ActionSelection } from '../consoleApi.js';
import { handledCount } from '../handledCount.js';
import { getJson, postJson } from './api.js';
import { h, replace } from './dom.js';

export interface ActionTarget {
  readonly consumerId: string;
  readonly operation: ActionOperation;
  readonly selection: ActionSelection;
  /** What the operator picked, in words. */
  readonly describe: string;
  /** After a real run: the DLQ has changed. */
  readonly onDone: () => void;
}

const VERB: Record<ActionOperation, [string, string]> = {
  redrive: ['Redrive', 'would go back to their source'],
  park: ['Park', 'would go to the parking queue'],
  delete: ['Delete', 'would be deleted'],
};

const POLL_MS = 300;

/**
 * One action, in two steps: a dry run that moves nothing and shows what would happen (how many, where to,
 * whether each destination's redrive policy names this DLQ), then the run itself at the chosen rate with
 * live progress. A delete also needs `delete <n>` typed. The server enforces the same steps.
 */
export function openActionPanel(panel: HTMLElement, target: ActionTarget): void {
  const [verb, would] = VERB[target.operation];
  const rate = h('input', {
    type: 'number',
    min: '1',
    step: '1',
    placeholder: 'no limit',
    'data-testid': 'rate',
    className: 'narrow',
  });
  const preview = h('div', { 'data-testid': 'preview' });
  const progress = h('div', { 'data-testid': 'progress' });
  const dryRunButton = h('button', { type: 'button', 'data-testid': 'dry-run' }, 'Dry run');
  const close = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        panel.hidden = true;
      },
    },
    'Close',
  );
  panel.hidden = false;
  replace(
    panel,
    h('h3', {}, `${verb}: ${target.describe}`),
    h('p', {}, 'Rate ', rate, ' messages per second. ', dryRunButton, ' ', close),
    preview,
    progress,
  );

  const request = (dryRun: boolean, extra: Partial<ActionRequest> = {}): ActionRequest => ({
    consumerId: target.consumerId,
    operation: target.operation,
    selection: target.selection,
    dryRun,
    ...(rate.value === '' ? {} : { ratePerSecond: Number(rate.value) }),
    ...extra,
  });

  dryRunButton.addEventListener('click', async () => {
    dryRunButton.disabled = true;
    replace(preview, h('p', { className: 'loading' }, 'Dry run: reading the DLQ, moving nothing…'));
    replace(progress);
    try {
      const job = await follow(await postJson<ActionJob>('/api/actions', request(true)), () => {});
      if (job.state === 'failed') throw new Error(job.error);
      showPreview(job);
    } catch (error) {
      replace(preview, h('p', { className: 'problem' }, (error as Error).message));
    } finally {
      dryRunButton.disabled = false;
    }
  });

  const showPreview = (job: ActionJob) => {
    const count = handledCount(job.counts, target.operation);
    const unverified = job.destinations.filter((destination) => !destination.namesThisDlq);
    const confirm = h('input', {
      type: 'text',
      placeholder: `delete ${count}`,
      'data-testid': 'confirm',
      className: 'narrow',
    });
    const run = h(
      'button',
      {
        type: 'button',
        'data-testid': 'run',
        className: target.operation === 'delete' ? 'danger' : 'primary',
      },
      `${verb} ${count}`,
    );
    const blocked = count === 0 || (target.operation === 'redrive' && unverified.length > 0);
    run.disabled = blocked || target.operation === 'delete';
    confirm.addEventListener('input', () => {
      run.disabled = blocked || confirm.value.trim() !== `delete ${count}`;
    });
    replace(
      preview,
      h(
        'p',
        { 'data-testid': 'preview-summary' },
        `${count} message(s) ${would}; ${job.counts.skippedByFilter} others stay; ${job.counts.failed} could not be handled.`,
      ),
      job.destinations.length === 0
        ? ''
        : h(
            'ul',
            { 'data-testid': 'destinations' },
            ...job.destinations.map((destination) =>
              h(
                'li',
                { className: destination.namesThisDlq ? 'ok' : 'alarm' },
                `${destination.messages} → ${destination.url} `,
                destination.namesThisDlq
                  ? '✓ its redrive policy names this DLQ'
                  : '✗ its redrive policy does not name this DLQ: not sent from here',
              ),
            ),
          ),
      h(
        'p',
        {},
        target.operation === 'delete'
          ? ['Type ', h('code', {}, `delete ${count}`), ' to confirm: ', confirm, ' ']
          : '',
        run,
      ),
    );
    run.addEventListener('click', async () => {
      run.disabled = true;
      dryRunButton.disabled = true;
      try {
        const started = await postJson<ActionJob>(
          '/api/actions',
          request(false, {
            previewJobId: job.id,
            ...(target.operation === 'delete' ? { confirmation: confirm.value } : {}),
          }),
        );
        const done = await follow(started, (current) => showProgress(current, count));
        showProgress(done, count);
        target.onDone();
      } catch (error) {
        replace(progress, h('p', { className: 'problem' }, (error as Error).message));
        run.disabled = false;
      } finally {
        dryRunButton.disabled = false;
      }
    });
  };

  const showProgress = (job: ActionJob, expected: number) => {
    const handled = handledCount(job.counts, target.operation);
    const percent = expected === 0 ? 100 : Math.min(100, Math.round((handled / expected) * 100));
    replace(
      progress,
      h('progress', { max: '100', value: String(percent) }),
      h(
        'p',
        { 'data-testid': 'progress-summary', 'data-state': job.state },
        `${job.state === 'running' ? 'Running' : job.state === 'done' ? 'Done' : 'Failed'}: ${handled} of ${expected}, ` +
          `${job.counts.failed} failed, ${Math.round(job.ratePerSecond)} msg/s, ${(job.elapsedMs / 1_000).toFixed(1)} s` +
          (job.stopReason === undefined ? '' : ` (${job.stopReason})`),
      ),
      job.error === undefined ? '' : h('p', { className: 'problem' }, job.error),
    );
  };
}

/** Polls a job until it is no longer running, reporting each state seen. */
async function follow(job: ActionJob, onUpdate: (job: ActionJob) => void): Promise<ActionJob> {
  let current = job;
  while (current.state === 'running') {
    onUpdate(current);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await getJson<ActionJob>(`/api/jobs/${current.id}`);
  }
  return current;
}
