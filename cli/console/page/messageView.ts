import type { MessageBody, MessageDetail } from '../consoleApi.js';
import { getJson } from './api.js';
import { h, replace, when } from './dom.js';

/**
 * One dead letter: its failure metadata, its attempt history (or the counts, while messages carry only
 * those) and its attributes. The body is fetched only when the operator clicks "Show body".
 */
export function showMessage(panel: HTMLElement, consumerPath: string, messageId: string): void {
  panel.hidden = false;
  replace(panel, h('p', { className: 'loading' }, 'Loading the message…'));
  const path = `${consumerPath}/messages/${encodeURIComponent(messageId)}`;
  void getJson<MessageDetail>(path).then(
    (message) => {
      const bodyArea = h('div', { 'data-testid': 'body-area' });
      const showBody = h('button', { type: 'button', 'data-testid': 'show-body' }, 'Show body');
      showBody.addEventListener('click', async () => {
        showBody.disabled = true;
        try {
          const { body } = await getJson<MessageBody>(`${path}/body`);
          replace(bodyArea, h('pre', { className: 'body', 'data-testid': 'body' }, body));
        } catch (error) {
          replace(bodyArea, h('p', { className: 'problem' }, (error as Error).message));
          showBody.disabled = false;
        }
      });
      replace(
        panel,
        h(
          'h3',
          {},
          `Message ${message.messageId}`,
          ' ',
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                panel.hidden = true;
              },
            },
            'Close',
          ),
        ),
        h(
          'p',
          {},
          h('code', {}, message.causeLabel),
          h('span', { className: 'muted' }, ` (cause ${message.causeId}, ${message.reason})`),
        ),
        fields({
          Sent: when(message.sentAt),
          'Dead-lettered': when(message.deadLetteredAt),
          'Source queue': message.sourceQueueArn ?? '–',
          'Redriven before': String(message.redriveCount),
          'Receives (this copy)': String(message.receiveCount),
          'Message group': message.messageGroupId ?? '–',
          'Body size': `${message.bodyBytes} bytes`,
        }),
        h('h4', {}, 'Failure metadata'),
        message.failure === undefined
          ? h('p', {}, 'None: SQS’s redrive policy moved it, not the runtime.')
          : fields(
              Object.fromEntries(Object.entries(message.failure).map(([key, value]) => [key, String(value)])),
            ),
        h('h4', {}, 'Attempt history'),
        attempts(message),
        h('h4', {}, 'Attributes'),
        Object.keys(message.attributes).length === 0
          ? h('p', { className: 'muted' }, 'None.')
          : fields(message.attributes),
        h('h4', {}, 'Body'),
        h('p', { className: 'muted' }, 'Not loaded: bodies leave the queue only when you ask. ', showBody),
        bodyArea,
      );
    },
    (error: Error) => replace(panel, h('p', { className: 'problem' }, error.message)),
  );
}

function attempts(message: MessageDetail): HTMLElement {
  if (message.attempts === undefined) {
    const count = message.failure?.attempts;
    const receives = message.failure?.receiveCount;
    return h(
      'p',
      { 'data-testid': 'attempts-summary' },
      count === undefined
        ? 'No attempts recorded.'
        : `${count} attempt(s), dead-lettered on receive ${receives ?? '?'} of its last copy. This message carries counts only, no per-attempt history.`,
    );
  }
  return h(
    'table',
    { className: 'grid inner', 'data-testid': 'attempts' },
    h(
      'thead',
      {},
      h('tr', {}, ...['#', 'When', 'Invocation', 'Error', 'Duration'].map((title) => h('th', {}, title))),
    ),
    h(
      'tbody',
      {},
      ...message.attempts.map((attempt) =>
        h(
          'tr',
          {},
          h('td', {}, String(attempt.number)),
          h('td', {}, when(attempt.at)),
          h('td', {}, attempt.invocation ?? '–'),
          h('td', {}, [attempt.errorClass, attempt.errorMessage].filter(Boolean).join(': ') || '–'),
          h('td', {}, attempt.durationMs === undefined ? '–' : `${attempt.durationMs} ms`),
        ),
      ),
    ),
  );
}

function fields(entries: Readonly<Record<string, string>>): HTMLElement {
  return h(
    'dl',
    { className: 'fields' },
    ...Object.entries(entries).flatMap(([key, value]) => [h('dt', {}, key), h('dd', {}, value)]),
  );
}
