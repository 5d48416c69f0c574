// The sync engine (SPEC §5): push the outbox, then pull what changed.
// A change leaves the outbox only when the server acknowledges it (applied or
// duplicate); conflicts and rejections stay for the user; a 401 pauses
// everything until the same person signs in again; no answer, a 5xx or a 429
// keeps everything and tries again later, waiting longer after each failure or
// as long as the server's Retry-After says (automatic triggers wait too; only
// "Sync now" does not).
import * as accounts from './accounts.js';
import { api, ApiError } from './api.js';
import { currentAccount, currentUser, isLocked, noteCounts, noteOnline, refreshCsrf, wipeRevoked } from './session.js';
import * as store from './store.js';

const BATCH = 100; // well under the server's 500 mutations…
const BATCH_BYTES = 1_000_000; // …and 2 MB per request
const RETRY_MAX_S = 300;
const listeners = new Set();
const state = {
  syncing: false, reachable: true, pending: 0, attention: 0,
  lastSyncAt: null, authNeeded: false, removedPeople: 0, error: null, rounds: 0,
  loaded: false, // true once the counts were read from the device store
  locked: false, wiped: false,
};
let running = null;
let again = false;
let failures = 0;
let retryTimer = null;
let holdUntil = 0; // no automatic sync before this time (ms), after a Retry-After

/** Listen to status changes (the status bar and screens). */
export function onStatus(listener) {
  listeners.add(listener);
  listener(state);
}

/** Tell every listener the state changed. */
function emit(changes) {
  Object.assign(state, changes);
  for (const listener of listeners) listener(state);
}

/** Reload the counts and the last sync time from the device store (while locked, the
 * counts the accounts directory keeps in clear). */
export async function refreshStatus() {
  if (isLocked() || !currentUser()) {
    // Locked, or nobody signed in: the counts the accounts directory keeps in clear
    // (signed out, the device's unsent changes, whoever made them).
    const counts = await deviceCounts();
    emit({ ...counts, lastSyncAt: null, authNeeded: false, locked: isLocked(), loaded: true });
    return;
  }
  const counts = await store.outboxCounts();
  await noteCounts(counts);
  emit({
    pending: counts.pending, attention: counts.attention,
    lastSyncAt: (await store.getMeta('last_sync_at')) || null,
    authNeeded: Boolean(await store.getMeta('auth_needed')),
    locked: false, loaded: true,
  });
}

/** Unsent and to-check counts of the current user, or of every user of the device. */
async function deviceCounts() {
  const account = currentAccount();
  const all = account ? [account] : await accounts.allAccounts();
  const sum = (field) => all.reduce((total, a) => total + (a[field] || 0), 0);
  return { pending: sum('pending'), attention: sum('attention') };
}

/** Sync now; a call during a sync runs one more round right after it. */
export function syncNow() {
  if (running) {
    again = true;
    return running;
  }
  running = withLock(round).finally(() => {
    running = null;
    if (again) {
      again = false;
      autoSync(); // asked for during a round the server answered with Retry-After: wait
    }
  });
  return running;
}

/** One tab syncs at a time (Web Locks where the browser has them). */
function withLock(task) {
  if (navigator.locks) return navigator.locks.request('prog-tracker-sync', task);
  return task();
}

/** Push then pull, and report the outcome. */
async function round() {
  if (!currentUser() || isLocked() || (await store.getMeta('auth_needed'))) return refreshStatus();
  emit({ syncing: true, error: null, removedPeople: 0 });
  try {
    await push();
    const removedPeople = await pull();
    const now = new Date().toISOString();
    await store.setMeta({ last_sync_at: now });
    await noteOnline();
    failures = 0;
    holdUntil = 0;
    emit({ reachable: true, removedPeople });
  } catch (error) {
    await failed(error);
  } finally {
    if (!state.wiped) await refreshStatus();
    emit({ syncing: false, rounds: state.rounds + 1 });
  }
}

/** After a failure: pause for sign-in, or try again later. */
async function failed(error) {
  if (error instanceof store.Locked) return; // locked during the round: the outbox waits
  if (!(error instanceof ApiError)) throw error;
  if (error.code === 'device_revoked') {
    // Revoked on the server: erase this person's data before anything else is drawn.
    await wipeRevoked(error.body?.error?.receipt_token);
    emit({ wiped: true });
    return;
  }
  if (needsSignIn(error)) {
    await store.setMeta({ auth_needed: true });
    emit({ reachable: true, authNeeded: true });
    return;
  }
  failures += 1;
  emit({ reachable: error.status !== 0, error: error.code });
  const wait = error.retryAfter || Math.min(RETRY_MAX_S, 5 * 2 ** (failures - 1));
  holdUntil = error.retryAfter ? Date.now() + wait * 1000 : 0;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(syncNow, (wait + Math.random() * 3) * 1000);
}

/** Sync for a trigger (a change, the network, the screen, the timer), unless the server said wait. */
function autoSync() {
  if (Date.now() >= holdUntil) syncNow();
}

/** 401s, and the set-up gates of a half-signed-in session, mean "sign in again". */
function needsSignIn(error) {
  return error.status === 401 || ['mfa_setup_required', 'password_change_required'].includes(error.code);
}

/** Send the outbox in batches until it has nothing pending. */
async function push() {
  const deviceId = currentAccount().device_id;
  const sent = new Set(); // each entry once per round, even if an answer left it out
  for (;;) {
    const batch = await store.takeBatch(BATCH, BATCH_BYTES, sent);
    if (!batch.length) return;
    for (const entry of batch) sent.add(entry.seq);
    const mutations = batch.map((e) => ({
      mutation_id: e.mutation_id, entity: e.entity, op: e.op, id: e.id, data: e.data,
      ...(e.base_version === null || e.base_version === undefined ? {} : { base_version: e.base_version }),
    }));
    const body = { device_id: deviceId, mutations };
    const answer = await withCsrfRetry(async () => api('POST', '/sync/push', body, await pendingHeader()));
    await store.settle(batch, answer.results || []);
    await refreshStatus();
  }
}

/** A csrf_failed answer means the token went stale: fetch a fresh one and try once more. */
async function withCsrfRetry(call) {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'csrf_failed') throw error;
    await refreshCsrf();
    return call();
  }
}

/** The unsent count, for the device registry (X-Device-Pending). */
async function pendingHeader() {
  const counts = await store.outboxCounts();
  return { 'X-Device-Pending': String(counts.total) };
}

/** Pull every page; after an expired cursor, start again from nothing. */
async function pull() {
  try {
    return await pullPages();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'cursor_expired') throw error;
    await store.setMeta({ cursor: undefined, full_sync: false }); // a new generation begins
    return pullPages();
  }
}

/** Pull until has_more is false; a pull from scratch ends by dropping what it did not bring. */
async function pullPages() {
  let cursor = await store.getMeta('cursor');
  let gen = (await store.getMeta('gen')) || 0;
  let fromScratch = Boolean(await store.getMeta('full_sync'));
  if (!cursor && !fromScratch) {
    gen += 1; // records of earlier generations are what this pull does not bring back
    fromScratch = true;
    await store.setMeta({ gen, full_sync: true });
  }
  let removedPeople = 0;
  for (;;) {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const page = await api('GET', `/sync/pull${query}`, undefined, await pendingHeader());
    removedPeople += await store.applyPull(page, gen);
    cursor = page.cursor;
    if (!page.has_more) break;
  }
  if (fromScratch) {
    await store.dropStale(gen);
    await store.setMeta({ full_sync: false });
  }
  return removedPeople;
}

/** Ask the browser to wake the app to sync when the network returns (Background Sync). */
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register('outbox');
  } catch {
    // Not offered (or refused): the timers and the online event still sync.
  }
}

/** Start the triggers: network back, app visible again, and a timer. */
export function startTriggers() {
  window.addEventListener('online', () => {
    failures = 0; // a new network: retry soon again if this attempt fails
    autoSync();
  });
  window.addEventListener('offline', () => emit({ reachable: false }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') autoSync();
  });
  setInterval(() => {
    // Every minute while changes wait, every five otherwise.
    const due = state.pending > 0 || !state.lastSyncAt || Date.now() - Date.parse(state.lastSyncAt) > 300_000;
    if (due && !state.syncing) autoSync();
  }, 60_000);
}

/** After a change on the device: count it, try to send it now, and ask for Background Sync. */
export function changed() {
  refreshStatus();
  requestBackgroundSync();
  autoSync();
}

/** The current status (read-only copy). */
export function status() {
  return { ...state };
}
