import type { CauseGroup, CausesResponse, MessageSummary } from '../consoleApi.js';
import { openActionPanel } from './actionPanel.js';
import { getJson } from './api.js';
import { h, replace, when } from './dom.js';
import { showMessage } from './messageView.js';

/**
 * A consumer's DLQ by cause: each group with its count, first and last seen, sources and a few samples;
 * a group opens to its messages, which can be picked for an action; a message opens to its metadata.
 * Bodies are never part of these answers.
 */
export function showTriage(container: HTMLElement, consumerId: string): () => void {
  const selected = new Set<string>();
  const summary = h('div', { className: 'summary', 'data-testid': 'scan-summary' });
  const groups = h('div', { 'data-testid': 'groups' }, h('p', { className: 'loading' }, 'Reading the DLQ…'));
  const selection = h('div', { className: 'selection', 'data-testid': 'selection' });
  const panel = h('section', { className: 'panel', 'data-testid': 'action-panel', hidden: true });
  const detail = h('section', { className: 'panel', 'data-testid': 'message-detail', hidden: true });
  const path = `/api/consumers/${encodeURIComponent(consumerId)}`;

  const load = async (refresh: boolean) => {
    groups.classList.add('stale');
    try {
      const causes = await getJson<CausesResponse>(`${path}/causes${refresh ? '?refresh=1' : ''}`);
      selected.clear();
      renderSelection();
      replace(
        summary,
        `${causes.scanned} dead letter(s) in ${causes.groups.length} cause(s), read ${when(causes.scannedAt)} in ${(causes.scanMs / 1_000).toFixed(1)} s`,
        causes.truncated
          ? h('span', { className: 'problem' }, ' (stopped at the scan limit: more are in the DLQ)')
          : '',
        causes.fifo
          ? h('span', { className: 'muted' }, ' (FIFO: the first message of each group is shown)')
          : '',
        ' ',
        h(
          'button',
          { type: 'button', 'data-testid': 'rescan', onclick: () => void load(true) },
          'Read again',
        ),
      );
      replace(
        groups,
        causes.groups.length === 0
          ? h('p', { 'data-testid': 'empty' }, 'The DLQ is empty.')
          : groupTable(causes.groups),
      );
    } catch (error) {
      replace(groups, h('p', { className: 'problem' }, String((error as Error).message)));
    } finally {
      groups.classList.remove('stale');
    }
  };

  const act = (
    operation: 'redrive' | 'park' | 'delete',
    target: { fingerprint: string; count: number; label: string } | { messageIds: string[] },
  ) => {
    openActionPanel(panel, {
      consumerId,
      operation,
      selection:
        'fingerprint' in target ? { fingerprint: target.fingerprint } : { messageIds: target.messageIds },
      describe:
        'fingerprint' in target
          ? `${target.count} × ${target.label}`
          : `${target.messageIds.length} selected message(s)`,
      onDone: () => void load(true),
    });
  };

  const renderSelection = () => {
    if (selected.size === 0) {
      replace(selection);
      return;
    }
    const messageIds = [...selected];
    replace(
      selection,
      `${messageIds.length} selected `,
      h(
        'button',
        { type: 'button', 'data-testid': 'redrive-selection', onclick: () => act('redrive', { messageIds }) },
        'Redrive…',
      ),
      h('button', { type: 'button', onclick: () => act('park', { messageIds }) }, 'Park…'),
      h(
        'button',
        { type: 'button', className: 'danger', onclick: () => act('delete', { messageIds }) },
        'Delete…',
      ),
    );
  };

  const messageRows = (messages: readonly MessageSummary[]) =>
    h(
      'table',
      { className: 'grid inner' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['', 'Message', 'Dead-lettered', 'Error', 'Redriven', 'Size'].map((title) => h('th', {}, title)),
        ),
      ),
      h(
        'tbody',
        {},
        ...messages.map((message) =>
          h(
            'tr',
            { 'data-testid': 'message-row' },
            h(
              'td',
              {},
              h('input', {
                type: 'checkbox',
                'aria-label': `select ${message.messageId}`,
                onchange: (event: Event) => {
                  if ((event.target as HTMLInputElement).checked) selected.add(message.messageId);
                  else selected.delete(message.messageId);
                  renderSelection();
                },
              }),
            ),
            h(
              'td',
              {},
              h(
                'a',
                {
                  href: '#',
                  'data-testid': 'message-link',
                  onclick: (event: Event) => {
                    event.preventDefault();
                    showMessage(detail, path, message.messageId);
                  },
                },
                message.messageId,
              ),
            ),
            h('td', {}, when(message.deadLetteredAt ?? message.sentAt)),
            h('td', { className: 'message' }, message.errorMessage ?? '–'),
            h('td', {}, String(message.redriveCount)),
            h('td', {}, `${message.bodyBytes} B`),
          ),
        ),
      ),
    );

  const groupTable = (list: readonly CauseGroup[]) =>
    h(
      'table',
      { className: 'grid' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Count', 'Cause', 'Reason', 'First seen', 'Last seen', 'Redriven before', 'Sources', ''].map(
            (title) => h('th', {}, title),
          ),
        ),
      ),
      ...list.map((group) => {
        const messages = h('tr', { hidden: true }, h('td', { colspan: 8 }));
        const toggle = async () => {
          const cell = messages.firstElementChild as HTMLElement;
          if (!messages.hidden) {
            messages.hidden = true;
            return;
          }
          messages.hidden = false;
          replace(cell, h('p', { className: 'loading' }, 'Loading messages…'));
          const rows = await getJson<MessageSummary[]>(`${path}/causes/${group.id}/messages?limit=200`);
          replace(
            cell,
            messageRows(rows),
            rows.length < group.count
              ? h('p', { className: 'muted' }, `First ${rows.length} of ${group.count}.`)
              : '',
          );
        };
        return h(
          'tbody',
          { 'data-testid': 'group', 'data-cause': group.id },
          h(
            'tr',
            {},
            h('td', { className: 'count', 'data-testid': 'group-count' }, String(group.count)),
            h(
              'td',
              {},
              h('code', { 'data-testid': 'group-label' }, group.label),
              h('div', { className: 'muted small' }, `cause ${group.id}`),
            ),
            h('td', {}, group.reason),
            h('td', {}, when(group.firstSeen)),
            h('td', {}, when(group.lastSeen)),
            h('td', {}, String(group.redriven)),
            h(
              'td',
              { className: 'small' },
              Object.entries(group.sources).map(([arn, count]) =>
                h('div', {}, `${arn.split(':').pop()}: ${count}`),
              ),
            ),
            h(
              'td',
              { className: 'actions' },
              h(
                'button',
                { type: 'button', 'data-testid': 'show-messages', onclick: () => void toggle() },
                'Messages',
              ),
              h(
                'button',
                {
                  type: 'button',
                  'data-testid': 'redrive-group',
                  onclick: () =>
                    act('redrive', { fingerprint: group.id, count: group.count, label: group.label }),
                },
                'Redrive…',
              ),
              h(
                'button',
                {
                  type: 'button',
                  'data-testid': 'park-group',
                  onclick: () =>
                    act('park', { fingerprint: group.id, count: group.count, label: group.label }),
                },
                'Park…',
              ),
              h(
                'button',
                {
                  type: 'button',
                  className: 'danger',
                  'data-testid': 'delete-group',
                  onclick: () =>
                    act('delete', { fingerprint: group.id, count: group.count, label: group.label }),
                },
                'Delete…',
              ),
            ),
          ),
          messages,
        );
      }),
    );

  replace(
    container,
    h('h2', {}, `Dead letters of ${consumerId}`),
    h('p', {}, h('a', { href: '#/' }, '← all consumers')),
    summary,
    selection,
    panel,
    detail,
    groups,
  );
  void load(false);
  return () => {};
}
