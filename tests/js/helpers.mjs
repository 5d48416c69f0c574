// Shared by the field app's unit tests: an in-memory IndexedDB (fake-indexeddb),
// a wipe between tests, and a scripted fetch.
import 'fake-indexeddb/auto';
import { webcrypto } from 'node:crypto';

globalThis.crypto ??= webcrypto; // global from Node 19 on; the app makes ids with it

const DB_NAME = 'prog-tracker-field'; // store.js's database

/** Empty every object store of the app's database (store.js keeps its connection open). */
export async function wipe(store) {
  await store.getMeta('nothing'); // let store.js create the database first
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = [...db.objectStoreNames];
  await new Promise((resolve, reject) => {
    const transaction = db.transaction(names, 'readwrite');
    for (const name of names) transaction.objectStore(name).clear();
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
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
