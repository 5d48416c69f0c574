// The field app's start: language, service worker, screens, sync triggers.
import { _, chooseLocale, useLocale } from './i18n.js';
import { afterRender, go, refreshIfLive, render, route, startRouter } from './router.js';
import { deviceLocale, languageSwitch, sendLocale } from './language.js';
import { currentUser, restore, signOut } from './session.js';
import { startStatusBar } from './statusbar.js';
import { onStatus, refreshStatus, startTriggers, status, syncNow } from './sync.js';
import * as store from './store.js';
import { h, hasUnsavedInput, link, notice, pageHead, show } from './ui.js';
import { attentionEditScreen, attentionItemScreen, attentionScreen } from './screens/attention.js';
import { caseloadScreen, followUpsScreen } from './screens/caseload.js';
import { editContactScreen, newContactScreen } from './screens/contact.js';
import { newOutcomeScreen } from './screens/outcome.js';
import { personScreen } from './screens/person.js';
import { remindersScreen } from './screens/reminders.js';
import { rollScreen, sessionsScreen } from './screens/sessions.js';
import { signInScreen } from './screens/signin.js';
import { skillsIndexScreen, skillsScreen } from './screens/skills.js';

const HOMES = { caseworker: '/app/caseload', instructor: '/app/sessions' };
const ID = '([0-9a-fA-F-]{36})';

/** Only signed-in users of the given roles reach a screen; others go to their home. */
function guarded(screen, roles = null) {
  return async (...params) => {
    const user = currentUser();
    if (!user) return go('/app/signin', { replace: true });
    if (roles && !roles.includes(user.role)) return go('/app', { replace: true });
    return screen(...params);
  };
}

/** /app: the signed-in role's home, or the sign-in form. */
async function home() {
  const user = currentUser();
  if (!user) return go('/app/signin', { replace: true });
  if (HOMES[user.role]) return go(HOMES[user.role], { replace: true });
  show(pageHead(_('Field app')),
    h('p', { class: 'card' }, _('The field app is for workshop instructors and caseworkers. Your work is on the website.')),
    h('a', { href: '/', class: 'button primary' }, _('Open the website')));
}

/** Sign-in screen; after signing in the app restarts in the user's language. */
function signInRoute() {
  return signInScreen(async () => {
    location.assign('/app');
  });
}

/** Sign out, saying first what stays on the device. */
async function signOutScreen() {
  const counts = await store.outboxCounts();
  const button = h('button', { type: 'button', class: 'button primary' }, _('Sign out'));
  button.addEventListener('click', async () => {
    button.disabled = true; // stopping this device's reminders may take a moment
    await signOut();
    location.assign('/app');
  });
  show(pageHead(_('Sign out')),
    counts.total ? notice(_('Some of your changes are not sent yet. They stay on this device, and nobody else can sign in here until you have sent them.'), 'warning') : null,
    h('p', {}, _('Signing out removes your records from this device. Signing in again needs a connection.')),
    h('div', { class: 'actions' }, button, link('/app', _('Cancel'), 'button')));
}

/** Every screen and its path. */
function defineRoutes() {
  const cw = ['caseworker'];
  const ins = ['instructor'];
  route(/^\/app$/, home);
  route(/^\/app\/signin$/, signInRoute);
  route(/^\/app\/signout$/, guarded(signOutScreen));
  route(/^\/app\/caseload$/, guarded(caseloadScreen, cw), { live: true });
  route(/^\/app\/followups$/, guarded(followUpsScreen, cw), { live: true });
  route(/^\/app\/reminders$/, guarded(remindersScreen, cw), { live: true });
  route(new RegExp(`^/app/people/${ID}$`), guarded(personScreen, cw), { live: true });
  route(new RegExp(`^/app/people/${ID}/contact$`), guarded(newContactScreen, cw));
  route(new RegExp(`^/app/people/${ID}/outcome$`), guarded(newOutcomeScreen, cw));
  route(new RegExp(`^/app/contacts/${ID}/edit$`), guarded(editContactScreen, cw));
  route(/^\/app\/sessions$/, guarded(sessionsScreen, ins), { live: true });
  route(new RegExp(`^/app/sessions/${ID}$`), guarded(rollScreen, ins));
  route(/^\/app\/skills$/, guarded(skillsIndexScreen, ins), { live: true });
  route(new RegExp(`^/app/cohorts/${ID}/skills(?:/${ID})?$`), guarded(skillsScreen, ins));
  route(/^\/app\/attention$/, guarded(attentionScreen), { live: true });
  route(/^\/app\/attention\/(\d+)$/, guarded(attentionItemScreen), { live: true });
  route(/^\/app\/attention\/(\d+)\/edit$/, guarded(attentionEditScreen));
}

/** The menu for the signed-in role. */
function buildNav() {
  const user = currentUser();
  const nav = document.getElementById('fa-nav');
  nav.setAttribute('aria-label', _('Main'));
  if (!user) return nav.replaceChildren();
  const items = {
    caseworker: [['/app/caseload', _('Caseload')], ['/app/followups', _('Follow-ups due')], ['/app/reminders', _('Reminders')]],
    instructor: [['/app/sessions', _("Today's sessions")], ['/app/skills', _('Skills checklist')]],
  }[user.role] || [];
  items.push(['/app/attention', _('Changes to check')], ['/app/signout', _('Sign out')]);
  nav.replaceChildren(h('ul', { class: 'nav' }, items.map(([href, text]) => h('li', {}, link(href, text)))));
}

/** Mark the menu entry of the current screen for screen readers (and the eye). */
function markCurrent(path) {
  for (const anchor of document.querySelectorAll('#fa-nav a')) {
    const href = anchor.getAttribute('href');
    if (path === href || path.startsWith(`${href}/`)) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
}

/** The shell's own texts, in the user's language, and the language switcher. */
function translateShell() {
  document.getElementById('fa-skip').textContent = _('Skip to content');
  document.title = `${_('Field app')} · prog-tracker`;
  document.querySelector('.topbar').append(languageSwitch());
}

/** Install the service worker; it answers sync requests and announces updates. */
async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'open') return openFromNotification(event);
    if (event.data?.type !== 'sync') return;
    // ok only if the outbox went out: otherwise the browser schedules another try.
    const answer = (ok) => event.ports[0]?.postMessage({ ok });
    syncNow().then(() => answer(!status().error && !status().authNeeded), () => answer(false));
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) announceUpdate();
  });
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch {
    // Without a worker the app still runs online; offline start needs it.
  }
}

/** A tapped reminder: show its page in this window, unless a form here holds typed input
 * (then the worker opens another window, and nothing typed is lost). */
function openFromNotification(event) {
  const answer = (ok) => event.ports[0]?.postMessage({ ok });
  const target = new URL(event.data.url, location.origin);
  if (target.origin !== location.origin || hasUnsavedInput(document.getElementById('main'))) return answer(false);
  answer(true);
  if (target.pathname === '/app' || target.pathname.startsWith('/app/')) go(target.pathname);
  else location.assign(target.href); // a page of the website (an officer's reminder)
}

/** A new version is active: offer a reload (never forced: a form may be half filled). */
function announceUpdate() {
  const button = h('button', { type: 'button', class: 'button' }, _('Reload'));
  button.addEventListener('click', () => location.reload());
  document.getElementById('main').prepend(h('div', { class: 'flash flash-success', role: 'status' },
    _('A new version of the app is ready.'), ' ', button));
}

/** After each sync: redraw data screens, and say when people left the device. */
function watchSync() {
  let wasSyncing = false;
  onStatus((state) => {
    if (wasSyncing && !state.syncing) {
      refreshIfLive(state.removedPeople
        ? notice(_('Some people are no longer in your caseload and were removed from this device.'))
        : null);
    }
    wasSyncing = state.syncing;
  });
}

/** Start the app. */
async function boot() {
  registerServiceWorker();
  const user = await restore();
  // The user's setting, then this device's choice, then the browser's languages.
  await useLocale(chooseLocale(user?.locale || await deviceLocale()));
  translateShell();
  buildNav();
  startStatusBar();
  defineRoutes();
  afterRender(markCurrent);
  startRouter();
  watchSync();
  startTriggers();
  window.addEventListener('online', () => sendLocale());
  await refreshStatus();
  await render();
  if (user) {
    syncNow();
    sendLocale(); // a language chosen while offline
  }
}

boot();
