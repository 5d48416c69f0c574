// The field app's service worker: keeps the shell and its static files for
// offline use, and nothing else. API answers are never stored here (records
// live in IndexedDB, written by the app); /api/ requests go to the network.
// The server fills in the version and the file list when it serves /sw.js,
// so any change to a precached file installs a new worker with a new cache.

const VERSION = "__CACHE_VERSION__";
const PRECACHE = ["__PRECACHE__"];
const CACHE = `prog-tracker-shell-${VERSION}`;
const PREFIX = 'prog-tracker-shell-';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: 'reload' skips the HTTP cache, so the files match this version.
    await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload', credentials: 'same-origin' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

/** The app's pages (/app and /app/...), but not its translation files. */
function isShellNavigation(request, url) {
  return request.mode === 'navigate' && (url.pathname === '/app' || url.pathname.startsWith('/app/'));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // network only, never cached
  if (isShellNavigation(request, url)) {
    event.respondWith(fromCache('/app', request));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request));
  }
  // Anything else (the website's pages) is left to the browser.
});

/** The cached copy, else the network (a file missed at install, or the cache was cleared). */
async function fromCache(key, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  return fetch(request);
}

// Background Sync: the browser wakes the worker when the network returns; an
// open window of the app (even hidden) sends its outbox, and the event is
// retried by the browser if that failed. With no window open, the outbox goes
// at the next start.
self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') event.waitUntil(askWindowsToSync());
});

/** Ask each window of the app to sync; resolve when one succeeded. */
async function askWindowsToSync() {
  // A page loaded while this worker was installing is not controlled by it, yet it is ours.
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (!windows.length) return;
  const answers = await Promise.all(windows.map((client) => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (message) => resolve(Boolean(message.data && message.data.ok));
    client.postMessage({ type: 'sync' }, [channel.port2]);
    setTimeout(() => resolve(false), 60000);
  })));
  if (!answers.some(Boolean)) throw new Error('sync failed; the browser will retry');
}

// ---- Web Push reminders ----
// The server sends {title, body, url, tag, lang, dir, kind} (notifications/sending.py).
// Every push shows a notification, even a broken one: Chrome penalises a site
// whose pushes show nothing, and a reminder that never shows helps no one.

const ICON = '/static/icons/icon-192.png';
const REMINDERS = '/app/reminders';
const DIRECTIONS = new Set(['ltr', 'rtl', 'auto']);

self.addEventListener('push', (event) => {
  event.waitUntil(showReminder(event.data));
});

/** Show the reminder a push carries; a generic one fills whatever it lacks. */
async function showReminder(data) {
  const payload = readPayload(data);
  const text = (value) => (typeof value === 'string' ? value.trim() : '');
  const generic = text(payload.title) ? null : await genericReminder();
  const options = {
    body: text(payload.body),
    icon: ICON,
    badge: ICON,
    data: { url: sameOriginUrl(payload.url || REMINDERS) },
  };
  const lang = generic ? generic.lang : text(payload.lang);
  const dir = generic ? generic.dir : payload.dir;
  if (lang) options.lang = lang;
  if (DIRECTIONS.has(dir)) options.dir = dir;
  if (text(payload.tag)) options.tag = text(payload.tag);
  const title = generic ? generic.title : text(payload.title);
  try {
    await self.registration.showNotification(title, options);
  } catch {
    // An option this browser refuses: the words and the link matter, the rest can go.
    await self.registration.showNotification(title, { body: options.body, data: options.data }).catch(() => {});
  }
}

/** The push's JSON object, or {} when it has none or it is not JSON. */
function readPayload(data) {
  if (!data) return {};
  try {
    const payload = data.json();
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) return payload;
  } catch {
    // Not JSON (or not text at all): shown as a generic reminder below.
  }
  return {};
}

/** "Reminders" in the browser's language, from the catalogues this worker precached. */
async function genericReminder() {
  const english = { title: 'Reminders', lang: 'en', dir: 'ltr' };
  for (const tag of self.navigator.languages || [self.navigator.language]) {
    const url = `/app/i18n/${String(tag).toLowerCase().split('-')[0]}.json`;
    if (!PRECACHE.includes(url)) continue;
    try {
      const response = await (await caches.open(CACHE)).match(url);
      if (!response) continue;
      const catalogue = await response.json();
      const title = catalogue.messages?.[english.title] || english.title;
      return { title, lang: catalogue.locale || 'en', dir: catalogue.dir || 'ltr' };
    } catch {
      // A damaged cache entry: English will do.
    }
  }
  return english;
}

/** url if it is on this worker's origin (absolute or a path), else the app's start. */
function sameOriginUrl(url) {
  if (typeof url !== 'string' || !url) return new URL('/app', self.location.origin).href;
  try {
    const parsed = new URL(url, self.location.origin);
    // Never open another site from a notification, whatever the payload says.
    if (parsed.origin === self.location.origin) return parsed.href;
  } catch {
    // Not a URL at all.
  }
  return new URL('/app', self.location.origin).href;
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openReminder(sameOriginUrl(event.notification.data?.url)));
});

/** Focus a window already at url, else let an open app window go there, else open one. */
async function openReminder(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const there = windows.find((client) => withoutHash(client.url) === withoutHash(url));
  if (there) return there.focus();
  // The most recently used window of the app (Chromium lists it first); one only,
  // since a window may be opened only for a few seconds after the tap.
  const app = windows.find((client) => isAppPath(new URL(client.url).pathname));
  if (app && await askToOpen(app, url)) return app.focus();
  return self.clients.openWindow(url);
}

/** True for the field app's pages. */
function isAppPath(pathname) {
  return pathname === '/app' || pathname.startsWith('/app/');
}

/** The URL without its #fragment (the same page either way). */
function withoutHash(url) {
  return url.split('#')[0];
}

/** Ask a window of the field app to show url. It says no while a form holds typed input:
 * navigating it (client.navigate) would throw that work away. */
function askToOpen(client, url) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (message) => resolve(Boolean(message.data && message.data.ok));
    client.postMessage({ type: 'open', url }, [channel.port2]);
    // An old version of the app does not answer: open a new window instead.
    setTimeout(() => resolve(false), 1500);
  });
}
