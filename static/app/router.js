// Paths under /app map to screens. Links marked data-route change screen
// without a page load; every path is also a real URL (the server and the
// service worker answer all of /app/... with the same shell).
// Screens load on demand (a dynamic import the first time they are shown), so
// starting the app fetches and parses only the shell and the first screen; the
// service worker precaches every module, so a screen opened offline still loads.
import { notice, quietly } from './ui.js';

const routes = [];
let pendingFlash = null;
let screenFlash = null; // stays on the screen through redraws after a sync
let currentLive = false;
let onRender = () => {};

/** Run fn(path) after each new screen (the menu marks the current page). */
export function afterRender(fn) {
  onRender = fn;
}

/** Register a screen: pattern (RegExp with groups), render(params), options {live}. */
export function route(pattern, render, options = {}) {
  routes.push({ pattern, render, ...options });
}

/** A screen whose code loads on first use: load() is `() => import('./screens/x.js')`
 * (written out by the caller, so the path is plain to read and to check), name its export.
 * render.preload() starts the download without drawing anything. */
export function onDemand(load, name) {
  let module = null;
  const fetchModule = () => {
    module ??= load().catch((error) => {
      module = null; // a failed download is tried again next time
      throw error;
    });
    return module;
  };
  const render = async (...params) => (await fetchModule())[name](...params);
  render.preload = fetchModule;
  return render;
}

/** Start loading the screen for path (at start-up, while the device store opens). */
export function preload(path) {
  const entry = routes.find((candidate) => candidate.pattern.test(path));
  entry?.render.preload?.().catch(() => {}); // drawing the screen will meet the failure again
}

/** Go to path; flash is shown once at the top of the next screen. */
export function go(path, { replace = false, flash = null, kind = 'success' } = {}) {
  pendingFlash = flash ? notice(flash, kind) : null;
  if (replace) history.replaceState({}, '', path);
  else history.pushState({}, '', path);
  return render();
}

/** Draw the screen for the current URL (a redraw keeps the screen's message). */
export async function render({ redraw = false } = {}) {
  const path = location.pathname.replace(/\/+$/, '') || '/app';
  if (!redraw) {
    screenFlash = pendingFlash;
    pendingFlash = null;
  }
  for (const entry of routes) {
    const match = path.match(entry.pattern);
    if (!match) continue;
    currentLive = Boolean(entry.live);
    await entry.render(...match.slice(1).map(decodeURIComponent));
    if (!redraw) onRender(location.pathname);
    if (screenFlash && location.pathname === path) document.getElementById('main').prepend(screenFlash);
    return;
  }
  history.replaceState({}, '', '/app');
  return render();
}

/** Redraw after a sync, but only screens that show data (never a form being filled in). */
export function refreshIfLive(message = null) {
  if (message) screenFlash = message;
  if (currentLive) quietly(() => render({ redraw: true }));
  else if (message) document.getElementById('main').prepend(message);
}

/** Follow in-app links without reloading; the Back button works as usual. */
export function startRouter() {
  document.addEventListener('click', (event) => {
    const anchor = event.target.closest('a[data-route]');
    if (!anchor || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go(anchor.getAttribute('href'));
  });
  window.addEventListener('popstate', () => render());
}
