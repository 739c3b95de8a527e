import './console.css';
import { h, replace } from './dom.js';
import { showLive } from './liveView.js';
import { showOverview } from './overviewView.js';
import { ensureSupportedLocale } from './safeLocale.js';
import { showTriage } from './triageView.js';

/**
 * The console page: a hash router over three views. `#/` the queues of every consumer, `#/dlq/<id>` a
 * consumer's dead letters by cause, `#/live` the local pipeline's charts. Each view returns a function
 * that stops its polling when the operator leaves it.
 */
ensureSupportedLocale();
const root = document.getElementById('app') as HTMLElement;
const content = h('main', { id: 'content' });
const nav = h('nav', {}, h('a', { href: '#/' }, 'Queues'));
replace(root, h('header', {}, h('h1', {}, 'sqs-failsafe console'), nav), content);

let leave: () => void = () => {};

function route(): void {
  leave();
  const hash = location.hash.replace(/^#/, '') || '/';
  const dlq = /^\/dlq\/([^/]+)$/.exec(hash);
  if (dlq !== null) leave = showTriage(content, decodeURIComponent(dlq[1] as string));
  else if (hash === '/live') leave = showLive(content);
  else
    leave = showOverview(content, (live) => {
      if (live && nav.querySelector('[data-live]') === null)
        nav.append(h('a', { href: '#/live', 'data-live': true }, 'Live pipeline'));
    });
}

window.addEventListener('hashchange', route);
route();
