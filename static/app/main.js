// The field app's start: language, service worker, screens, sync triggers.
// Screens load on demand (router.js onDemand): the start fetches the shell's modules
// and the first screen only; the service worker has every module for offline use.
import { _, chooseLocale, currentLocale, format, useLocale } from './i18n.js';
import { afterRender, go, onDemand, preload, refreshIfLive, render, route, startRouter } from './router.js';
import { deviceLocale, languageSwitch, sendLocale } from './language.js';
import { checkDevice, markActive, startLocking } from './locking.js';
import { currentUser, isLocked, lock, onLockChange, restore, signOut } from './session.js';
import { disclosure, startStatusBar } from './statusbar.js';
import { onStatus, refreshStatus, startTriggers, status, syncNow } from './sync.js';
import * as store from './store.js';
import { h, hasUnsavedInput, link, notice, pageHead, show } from './ui.js';

// Each screen module, fetched the first time one of its screens is shown.
const SCREENS = {
  attention: () => import('./screens/attention.js'),
  caseload: () => import('./screens/caseload.js'),
  contact: () => import('./screens/contact.js'),
  lock: () => import('./screens/lock.js'),
  outcome: () => import('./screens/outcome.js'),
  person: () => import('./screens/person.js'),
  referrals: () => import('./screens/referrals.js'),
  reminders: () => import('./screens/reminders.js'),
  sessions: () => import('./screens/sessions.js'),
  signin: () => import('./screens/signin.js'),
  skills: () => import('./screens/skills.js'),
};

const HOMES = { caseworker: '/app/caseload', instructor: '/app/sessions' };
const ID = '([0-9a-fA-F-]{36})';

/** Only signed-in users of the given roles reach a screen; others go to their home.
 * While the store is locked, the lock screen stands in for every screen. */
function guarded(screen, roles = null) {
  const render = async (...params) => {
    const user = currentUser();
    if (!user) return go('/app/signin', { replace: true });
    if (isLocked()) return lockScreen(afterUnlock);
    if (roles && !roles.includes(user.role)) return go('/app', { replace: true });
    return screen(...params);
  };
  render.preload = screen.preload;
  return render;
}

/** The screen exported as name by the module SCREENS[file], loaded on first use. */
function lazy(file, name) {
  return onDemand(SCREENS[file], name);
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

const signInScreen = lazy('signin', 'signInScreen');
const lockScreen = lazy('lock', 'lockScreen');
const choosePinScreen = lazy('lock', 'choosePinScreen');
let held = null; // the screen the app locked over, kept while it holds typed input

/** Sign-in screen; after a first sign-in on this device, the PIN is chosen. */
function signInRoute() {
  return signInScreen(async ({ choosePin }) => {
    if (choosePin) return choosePinScreen(enterApp);
    return enterApp();
  });
}
signInRoute.preload = signInScreen.preload;

/** After a sign-in: the app in the user's language (a reload when it is another one). */
async function enterApp() {
  const user = currentUser();
  if (chooseLocale(user.locale || await deviceLocale()) !== currentLocale()) return location.assign('/app');
  held = null;
  await afterUnlock();
}

/** The store is open again: the screen it locked over, or the current one, and a sync. */
async function afterUnlock() {
  markActive();
  buildNav();
  await refreshStatus();
  if (held) {
    document.getElementById('main').replaceChildren(...held);
    held = null;
  } else if (location.pathname.startsWith('/app/signin')) {
    await go('/app', { replace: true });
  } else {
    await render();
  }
  syncNow();
  sendLocale();
}

/** The app locked itself: hide the screen (kept, if it holds typed input) and ask to unlock. */
function afterLock() {
  const main = document.getElementById('main');
  held = hasUnsavedInput(main) ? [...main.childNodes] : null;
  main.replaceChildren();
  buildNav();
  refreshStatus();
  render();
}

/** "Lock now" (before handing the device to someone): the PIN is asked at once. */
function lockNow() {
  lock();
  held = null;
  return go('/app', { replace: true });
}

/** Sign out, saying first what stays on the device and offering to remove it. */
async function signOutScreen() {
  const counts = await store.outboxCounts();
  const button = h('button', { type: 'button', class: 'button primary' }, _('Sign out'));
  const remove = h('input', { type: 'checkbox', id: 'fa-remove-data', name: 'remove' });
  button.addEventListener('click', async () => {
    button.disabled = true; // stopping this device's reminders may take a moment
    await signOut({ removeData: remove.checked });
    location.assign('/app');
  });
  show(pageHead(_('Sign out')),
    counts.total ? notice(_('Some of your changes are not sent yet. They stay on this device, and nobody else can sign in here until you have sent them.'), 'warning') : null,
    h('p', {}, _('Your records stay on this device, encrypted, for your next sign-in; nobody can read them without your PIN or password. Signing in again needs a connection.')),
    h('div', { class: 'field check' }, remove,
      h('label', { for: 'fa-remove-data' }, _('Remove my data from this device'))),
    counts.total ? h('p', { class: 'hint' }, format(_('Removing your data also deletes your %(count)s unsent changes.'), { count: counts.total })) : null,
    h('div', { class: 'actions' }, button, link('/app', _('Cancel'), 'button')));
}

/** Every screen and its path. */
function defineRoutes() {
  const cw = ['caseworker'];
  const ins = ['instructor'];
  route(/^\/app$/, home);
  route(/^\/app\/signin$/, signInRoute);
  route(/^\/app\/signout$/, guarded(signOutScreen));
  route(/^\/app\/lock$/, guarded(lockNow));
  route(/^\/app\/caseload$/, guarded(lazy('caseload', 'caseloadScreen'), cw), { live: true });
  route(/^\/app\/followups$/, guarded(lazy('caseload', 'followUpsScreen'), cw), { live: true });
  route(/^\/app\/reminders$/, guarded(lazy('reminders', 'remindersScreen'), cw), { live: true });
  route(/^\/app\/referrals$/, guarded(lazy('referrals', 'referralsScreen'), cw));
  route(new RegExp(`^/app/people/${ID}$`), guarded(lazy('person', 'personScreen'), cw), { live: true });
  route(new RegExp(`^/app/people/${ID}/contact$`), guarded(lazy('contact', 'newContactScreen'), cw));
  route(new RegExp(`^/app/people/${ID}/outcome$`), guarded(lazy('outcome', 'newOutcomeScreen'), cw));
  route(new RegExp(`^/app/contacts/${ID}/edit$`), guarded(lazy('contact', 'editContactScreen'), cw));
  route(/^\/app\/sessions$/, guarded(lazy('sessions', 'sessionsScreen'), ins), { live: true });
  route(new RegExp(`^/app/sessions/${ID}$`), guarded(lazy('sessions', 'rollScreen'), ins));
  route(/^\/app\/skills$/, guarded(lazy('skills', 'skillsIndexScreen'), ins), { live: true });
  route(new RegExp(`^/app/cohorts/${ID}/skills(?:/${ID})?$`), guarded(lazy('skills', 'skillsScreen'), ins));
  route(/^\/app\/attention$/, guarded(lazy('attention', 'attentionScreen')), { live: true });
  route(/^\/app\/attention\/(\d+)$/, guarded(lazy('attention', 'attentionItemScreen')), { live: true });
  route(/^\/app\/attention\/(\d+)\/edit$/, guarded(lazy('attention', 'attentionEditScreen')));
}

/** The menu's entries for the signed-in role (only the language before signing in). */
function buildNav() {
  const user = currentUser();
  const nav = document.getElementById('fa-nav');
  nav.setAttribute('aria-label', _('Main'));
  if (!user || isLocked()) return nav.replaceChildren();
  const items = {
    caseworker: [['/app/caseload', _('Caseload')], ['/app/followups', _('Follow-ups due')],
      ['/app/referrals', _('Referrals')], ['/app/reminders', _('Reminders')]],
    instructor: [['/app/sessions', _("Today's sessions")], ['/app/skills', _('Skills checklist')]],
  }[user.role] || [];
  items.push(['/app/attention', _('Changes to check')], ['/app/lock', _('Lock now')], ['/app/signout', _('Sign out')]);
  nav.replaceChildren(h('ul', { class: 'fa-nav-list' }, items.map(([href, text]) => h('li', {}, link(href, text)))));
}

/** Mark the menu entry of the current screen for screen readers (and the eye). */
function markCurrent(path) {
  for (const anchor of document.querySelectorAll('#fa-nav a')) {
    const href = anchor.getAttribute('href');
    if (path === href || path.startsWith(`${href}/`)) anchor.setAttribute('aria-current', 'page');
    else anchor.removeAttribute('aria-current');
  }
}

/** The menu button: opens the entries and the language; a chosen entry closes it. */
function startMenu() {
  const button = document.getElementById('fa-menu-button');
  const menu = document.getElementById('fa-menu');
  const setOpen = disclosure(button, menu);
  menu.addEventListener('click', (event) => {
    if (event.target.closest('a')) setOpen(false);
  });
  return () => setOpen(false);
}

/** The shell's own texts, in the user's language, and the language switcher in the menu. */
function translateShell() {
  document.getElementById('fa-skip').textContent = _('Skip to content');
  document.getElementById('fa-menu-button').textContent = _('Menu');
  document.title = `${_('Field app')} · prog-tracker`;
  document.getElementById('fa-menu').append(languageSwitch());
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
    // Revoked: the data is erased; a fresh start draws nothing that was on screen.
    if (state.wiped) return location.replace('/app/signin');
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
  defineRoutes();
  const path = location.pathname.replace(/\/+$/, '') || '/app';
  preload(path); // the screen's code downloads while the device store opens
  let user = await restore();
  // A revoked device erases its data before it draws anything, the lock screen too.
  if (user && await checkDevice()) user = null;
  if (user) lockScreen.preload().catch(() => {}); // every start begins locked
  else if (path === '/app') preload('/app/signin');
  // The user's setting, then this device's choice, then the browser's languages.
  await useLocale(chooseLocale(user?.locale || await deviceLocale()));
  translateShell();
  buildNav();
  startStatusBar();
  const closeMenu = startMenu();
  afterRender((shown) => {
    markCurrent(shown);
    closeMenu(); // a new screen (Back, a link in the page, a reminder) starts with it closed
  });
  startRouter();
  watchSync();
  startTriggers();
  startLocking(afterLock);
  onLockChange(() => buildNav());
  window.addEventListener('online', () => sendLocale());
  await refreshStatus();
  await render();
}

boot();
