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
