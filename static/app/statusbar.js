// The always-visible sync status, on one line under the app bar: connection, then
// what matters most (changes waiting, or everything sent), then the last sync. A
// tap on the line opens the details (the whole sentences, and why a sync failed).
// Beside the line: "Needs attention" (a link to the changes to check), and "Sync
// now" (or "Sign in again" when the session ended). A visually hidden live region
// says the full status, so a screen reader hears when a sync ends or fails.
import { _, format, formatMoment, formatTime } from './i18n.js';
import { h, link } from './ui.js';
import { currentAccount, currentUser, leaseLeftMs } from './session.js';
import { onStatus, syncNow } from './sync.js';

let parts = null;
let lastSpoken = '';
let last = null;

/** Fill the status bar the shell drew (#fa-status), and follow the sync state. */
export function startStatusBar() {
  const bar = document.getElementById('fa-status');
  const toggle = document.getElementById('fa-status-toggle');
  parts = {
    toggle,
    net: toggle.querySelector('.fa-net'),
    line: toggle.querySelector('.fa-line'),
    details: document.getElementById('fa-status-details'),
    facts: h('ul', { class: 'fa-status-facts' }),
    summary: h('p', { class: 'fa-summary visually-hidden', role: 'status', 'aria-live': 'polite' }),
    attention: link('/app/attention', '', 'fa-attention'),
    signIn: link('/app/signin', _('Sign in again'), 'fa-signin-again'),
    button: h('button', { type: 'button', class: 'button fa-sync-now', onclick: () => syncNow() }, _('Sync now')),
  };
  bar.setAttribute('aria-label', _('Sync status'));
  parts.attention.hidden = parts.signIn.hidden = parts.button.hidden = true;
  toggle.after(parts.attention, parts.signIn, parts.button);
  // Short on screen, whole for a screen reader (the visible words start the name).
  parts.signIn.setAttribute('aria-label', _('Sign in again to send your changes'));
  parts.details.replaceChildren(parts.facts);
  bar.append(parts.summary);
  disclosure(toggle, parts.details);
  onStatus(draw);
  window.addEventListener('online', () => draw());
  setInterval(() => draw(), 60_000); // the lease's hours left
  window.addEventListener('offline', () => draw());
}

/** A button that shows and hides panel; Escape closes it and gives the focus back. */
export function disclosure(button, panel) {
  const setOpen = (open) => {
    button.setAttribute('aria-expanded', String(open));
    panel.hidden = !open;
  };
  button.addEventListener('click', () => setOpen(panel.hidden));
  for (const element of [button, panel]) {
    element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || panel.hidden) return;
      event.preventDefault();
      setOpen(false);
      button.focus();
    });
  }
  return setOpen;
}

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
  const signedIn = Boolean(currentUser()) && !state.locked;
  parts.net.textContent = online ? _('Online') : _('Offline');
  parts.net.dataset.state = online ? 'online' : 'offline';
  const facts = signedIn ? statusFacts(state) : { locked: state.locked ? _('Locked') : '' };
  const lease = signedIn ? leaseText() : '';
  parts.line.textContent = [facts.locked || facts.syncing || facts.waiting, lease || facts.when]
    .filter(Boolean).map((text) => ` · ${text}`).join('');
  parts.line.classList.toggle('fa-lease-warning', Boolean(lease));
  const full = [parts.net.textContent, facts.locked, facts.waiting, facts.attention, facts.when, lease, facts.problem,
    facts.signIn].filter(Boolean);
  parts.facts.replaceChildren(...full.map((text) => h('li', {}, text)));
  const spoken = full.join(' · ');
  if (spoken !== lastSpoken) {
    parts.summary.textContent = spoken;
    lastSpoken = spoken;
  }
  parts.attention.hidden = !state.attention;
  parts.attention.textContent = facts.attention || '';
  parts.signIn.hidden = !state.authNeeded;
  parts.button.hidden = !signedIn || state.authNeeded;
  parts.button.disabled = state.syncing;
  parts.button.textContent = state.syncing ? _('Syncing…') : _('Sync now');
}

/** The status in short sentences, for a signed-in user (none is about sync before that). */
function statusFacts(state) {
  return {
    syncing: state.syncing ? _('Syncing…') : '',
    // "Everything is sent" only when nothing waits and nothing needs the user either.
    waiting: waitingText(state),
    attention: state.attention ? format(_('Needs attention: %(count)s'), { count: state.attention }) : '',
    when: state.lastSyncAt
      ? format(_('Last sync: %(time)s'), { time: shortMoment(state.lastSyncAt) })
      : _('Not synced yet'),
    problem: problemText(state),
    signIn: state.authNeeded ? _('Sign in again to send your changes') : '',
  };
}

/** A warning while the offline lease has less than a day (or a third of it) left. */
function leaseText() {
  const hours = currentAccount()?.policy?.offline_lease_hours;
  const left = leaseLeftMs();
  if (!hours || !Number.isFinite(left) || left > Math.min(24, hours / 3) * 3_600_000) return '';
  if (left <= 0) return _('Connect to the server to keep using the app.');
  return format(_('Connect within %(hours)s h, or the app locks.'), { hours: Math.ceil(left / 3_600_000) });
}

/** Changes waiting to be sent, or that everything went (never while some need attention). */
function waitingText(state) {
  if (state.pending) return format(_('Waiting to send: %(count)s'), { count: state.pending });
  return state.attention ? '' : _('Everything is sent');
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
  return formatTime(iso);
}
