// The in-page half of bench/device.py: the same pull and push with the app's encrypted
// store and with the plaintext store it replaced, timed in the browser. Served by the
// benchmark from a page route; never part of the app.
import * as encrypted from '/static/app/store.js';
import * as vault from '/static/app/vault.js';

const PIN = '204913';
const stores = new Map(); // `${kind}-${round}` -> the store module, opened once
let lockBox = null; // a data key wrapped under PIN, as the lock screen finds it

/** GET or POST an API path with the benchmark's bearer token; the JSON answer. */
async function call(token, method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** How many records a first pull brings. */
export async function records(token) {
  let count = 0;
  for (let cursor = null; ;) {
    const page = await call(token, 'GET', `/api/v1/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    count += page.changes.length;
    cursor = page.cursor;
    if (!page.has_more) return count;
  }
}

/** One unlock as the lock screen does it: the PIN's key derived, the data key unwrapped (ms). */
export async function unlock() {
  if (!lockBox) {
    const salt = vault.randomBytes(16);
    lockBox = { salt, ...(await vault.wrap(await vault.newDataKey(), await vault.pinKey(PIN, salt))) };
  }
  const started = performance.now();
  await vault.unwrap(lockBox, await vault.pinKey(PIN, lockBox.salt));
  return performance.now() - started;
}

/** The store of a kind for a round: a fresh database each round. */
async function storeFor(kind, round) {
  const name = `${kind}-${round}`;
  if (!stores.has(name)) {
    if (kind === 'plain') {
      stores.set(name, await import(`/bench/plain-store.js?db=bench-plain-${round}`));
    } else {
      // As the app holds it: a non-extractable key, unwrapped from its wrapping.
      const wrapper = await vault.pinKey(PIN, vault.randomBytes(16), 1000);
      const key = await vault.unwrap(await vault.wrap(await vault.newDataKey(), wrapper), wrapper);
      encrypted.openStore(`bench-encrypted-${round}`, key);
      stores.set(name, encrypted);
    }
  }
  return stores.get(name);
}

/** The time fn takes, added to clock.ms; fn's result. */
async function timed(clock, fn) {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    clock.ms += performance.now() - started;
  }
}

/** A first pull into the store: every page fetched and stored. */
export async function pull(kind, token, round) {
  const store = await storeFor(kind, round);
  const inStore = { ms: 0 };
  const started = performance.now();
  for (let cursor = null; ;) {
    const page = await call(token, 'GET', `/api/v1/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    await timed(inStore, () => store.applyPull(page, 1));
    cursor = page.cursor;
    if (!page.has_more) break;
  }
  const total = performance.now() - started;
  const people = (await store.listRecords('participant')).length;
  return { pull_ms: total, pull_store_ms: inStore.ms, people };
}

/** 500 changes made on the device, sent in batches of 100, and settled. */
export async function push(kind, token, round, batch) {
  const store = await storeFor(kind, round);
  const inStore = { ms: 0 };
  const started = performance.now();
  for (const m of batch) {
    await timed(inStore, () => store.queueMutation({ entity: m.entity, op: m.op, id: m.id, data: m.data }));
  }
  let sent = 0;
  const taken = new Set();
  for (;;) {
    const entries = await timed(inStore, () => store.takeBatch(100, 1_000_000, taken));
    if (!entries.length) break;
    for (const entry of entries) taken.add(entry.seq);
    const mutations = entries.map((e) => ({ mutation_id: e.mutation_id, entity: e.entity, op: e.op, id: e.id, data: e.data }));
    const answer = await call(token, 'POST', '/api/v1/sync/push', { device_id: 'bench', mutations });
    await timed(inStore, () => store.settle(entries, answer.results));
    sent += answer.results.filter((r) => r.status === 'applied').length;
  }
  return { push_ms: performance.now() - started, push_store_ms: inStore.ms, sent };
}
