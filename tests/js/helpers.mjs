// Shared by the field app's unit tests: an in-memory IndexedDB (fake-indexeddb),
// a wipe between tests, and a scripted fetch.
import 'fake-indexeddb/auto';
import { webcrypto } from 'node:crypto';

globalThis.crypto ??= webcrypto; // global from Node 19 on; the app makes ids with it

/** A fresh, empty, unlocked store for the next test (a new database, a new data key). */
export async function wipe(store) {
  const vault = await import('../../static/app/vault.js');
  const name = store.newStoreName();
  store.openStore(name, await vault.newDataKey());
  return name;
}

/** Sign user in for a test: a directory entry, their store unlocked, the session restored. */
export async function unlockedAs(user, { deviceId = 'dev-1', ...extra } = {}) {
  const [accounts, session, store] = await Promise.all([
    import('../../static/app/accounts.js'), import('../../static/app/session.js'), import('../../static/app/store.js')]);
  const name = await wipe(store);
  await accounts.putAccount({ username: user.username, user, device_id: deviceId, store: name, pin: null,
    escrow: null, pending: 0, attention: 0, policy: { idle_lock_minutes: 5, offline_lease_hours: 72 }, ...extra });
  await accounts.setSettings({ current: user.username });
  await session.restore();
  return name;
}

/** Every row of every object store of a database, as stored (for "nothing in clear" checks). */
export async function rawRows(name) {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = [];
  for (const storeName of db.objectStoreNames) {
    rows.push(...await new Promise((resolve, reject) => {
      const request = db.transaction([storeName]).objectStore(storeName).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }));
  }
  db.close();
  return rows;
}

/** Everything readable in rows: strings, and bytes read as UTF-8 text. */
export function readable(rows) {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  return JSON.stringify(rows, (key, value) => {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return decoder.decode(value);
    return value;
  });
}

/** A JSON response as the server sends it. */
export function answer(status, body, headers = {}) {
  const text = body === null ? null : JSON.stringify(body);
  return new Response(text, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** Replace fetch with a script: each call takes the next handler (method, path, body) -> Response.
 * Returns the list of calls made ({method, path, body}). */
export function scriptFetch(handlers) {
  const calls = [];
  const queue = [...handlers];
  globalThis.fetch = async (url, init = {}) => {
    const call = { method: init.method || 'GET', path: String(url), body: init.body ? JSON.parse(init.body) : null, headers: init.headers || {} };
    calls.push(call);
    const next = queue.shift();
    if (!next) throw new TypeError(`unexpected fetch ${call.method} ${call.path}`);
    return next(call);
  };
  calls.left = () => queue.length;
  return calls;
}
