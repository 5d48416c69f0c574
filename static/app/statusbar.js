// The always-visible sync status: connection, changes waiting, last sync,
// items needing the user, and the "Sync now" button. The summary line is a
// polite live region, so a screen reader hears when a sync ends or fails.
import { _, currentLocale, format, formatMoment } from './i18n.js';
import { h, link } from './ui.js';
import { currentUser } from './session.js';
import { onStatus, syncNow } from './sync.js';

let parts = null;
let lastSpoken = '';

/** Build the bar once inside #fa-status. */
export function startStatusBar() {
  const bar = document.getElementById('fa-status');
  parts = {
    net: h('span', { class: 'fa-net' }),
    summary: h('p', { class: 'fa-summary', role: 'status', 'aria-live': 'polite' }),
    attention: link('/app/attention', '', 'fa-attention'),
    signIn: link('/app/signin', _('Sign in again to send your changes'), 'fa-signin-again'),
    button: h('button', { type: 'button', class: 'button fa-sync-now', onclick: () => syncNow() }, _('Sync now')),
  };
  bar.setAttribute('aria-label', _('Sync status'));
  bar.replaceChildren(h('div', { class: 'fa-status-inner' },
    parts.net, parts.summary, parts.attention, parts.signIn, parts.button));
  onStatus(draw);
  window.addEventListener('online', () => draw());
  window.addEventListener('offline', () => draw());
}

let last = null;

/** Redraw from the sync state. */
function draw(state = last) {
  // Before the device store's counts are read, "nothing waiting" would be a lie.
  if (!state || !parts || !state.loaded) return;
  last = state;
  // Machine-readable too (tests and support staff): finished rounds and counts.
  Object.assign(document.getElementById('fa-status').dataset, {
    rounds: state.rounds, pending: state.pending, attention: state.attention, error: state.error || '',
  });
  const online = navigator.onLine && state.reachable;
  parts.net.textContent = online ? _('Online') : _('Offline');
  parts.net.dataset.state = online ? 'online' : 'offline';
  const summary = describe(state);
  if (summary !== lastSpoken) {
    parts.summary.textContent = summary;
    lastSpoken = summary;
  }
  parts.attention.hidden = !state.attention;
  parts.attention.textContent = format(_('Needs attention: %(count)s'), { count: state.attention });
  parts.signIn.hidden = !state.authNeeded;
  parts.button.hidden = !currentUser();
  parts.button.disabled = state.syncing;
  parts.button.textContent = state.syncing ? _('Syncing…') : _('Sync now');
}

/** One line: changes waiting and the last successful sync. */
function describe(state) {
  const waiting = state.pending
    ? format(_('Waiting to send: %(count)s'), { count: state.pending })
    : _('Everything is sent');
  const when = state.lastSyncAt
    ? format(_('Last sync: %(time)s'), { time: shortMoment(state.lastSyncAt) })
    : _('Not synced yet');
  return [waiting, when, problemText(state)].filter(Boolean).join(' · ');
}

/** Why the last sync failed, if it did. */
function problemText(state) {
  if (!state.error || state.syncing) return '';
  if (state.error === 'network') return _('The server could not be reached; trying again soon.');
  return format(_('The sync failed (%(code)s); trying again soon.'), { code: state.error });
}

/** A time today, or a date and time otherwise. */
function shortMoment(iso) {
  const when = new Date(iso);
  if (when.toDateString() !== new Date().toDateString()) return formatMoment(iso);
  return new Intl.DateTimeFormat(currentLocale(), { timeStyle: 'short' }).format(when);
}
