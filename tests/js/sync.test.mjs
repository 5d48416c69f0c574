// The sync engine (static/app/sync.js) against a scripted server (fetch stubbed):
// push then pull, Retry-After and back-off, conflicts, a lost session, an
// expired cursor and a stale CSRF token.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { answer, scriptFetch, unlockedAs } from './helpers.mjs';
import * as accounts from '../../static/app/accounts.js';
import { setCsrf } from '../../static/app/api.js';
import { restore } from '../../static/app/session.js';
import * as store from '../../static/app/store.js';
import { changed, status, syncNow } from '../../static/app/sync.js';

globalThis.navigator ??= {}; // no Web Locks, no service worker: sync.js does without them

// The retry timers sync.js sets (seconds long) are recorded, not run; short ones are real.
const realSetTimeout = globalThis.setTimeout;
let retries = [];
globalThis.setTimeout = (fn, ms, ...args) => {
  if (ms < 1000) return realSetTimeout(fn, ms, ...args);
  retries.push(ms);
  return -retries.length;
};

const USER = { id: 'u1', username: 'amina', display_name: 'Amina' };
const ok = (body) => () => answer(200, body);
const failure = (statusCode, code, headers = {}) => () => answer(statusCode, { error: { code, message: code } }, headers);
const page = (changes, cursor, extra = {}) => ok({ changes, removed: [], cursor, has_more: false, ...extra });
const applied = (version = 1) => ({ method, path, body }) => {
  assert.equal(`${method} ${path}`, 'POST /api/v1/sync/push');
  return answer(200, { results: body.mutations.map((m) => ({ mutation_id: m.mutation_id, status: 'applied', id: m.id, version })) });
};
const contact = (id, version = 1, extra = {}) => ({
  entity: 'contact', id, version,
  data: { id, participant_id: 'p1', mode: 'visit', occurred_at: '2025-04-01T09:00:00Z', ...extra },
});

beforeEach(async () => {
  await unlockedAs(USER);
  await store.setMeta({ csrf: 't0' });
  setCsrf('t0');
  retries = [];
});

afterEach(async () => {
  // Leave the engine as a success leaves it (no failures counted, nothing held).
  scriptFetch([page([], 'reset')]);
  await store.setMeta({ auth_needed: false });
  await syncNow();
});

describe('a round', () => {
  test('pushes the outbox, then pulls every page', async () => {
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', mode: 'visit' } });
    const calls = scriptFetch([
      applied(),
      page([contact('c1')], 'k1', { has_more: true }),
      page([{ entity: 'participant', id: 'p1', version: 1, data: { id: 'p1' } }], 'k2'),
    ]);
    await syncNow();
    assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`),
      ['POST /api/v1/sync/push', 'GET /api/v1/sync/pull', 'GET /api/v1/sync/pull?cursor=k1']);
    const [mutation] = calls[0].body.mutations;
    assert.deepEqual(Object.keys(mutation).sort(), ['data', 'entity', 'id', 'mutation_id', 'op']); // no base_version
    assert.equal(calls[0].body.device_id, 'dev-1');
    assert.equal(calls[0].headers['X-Device-Id'], 'dev-1'); // every sync request names the device
    assert.equal(calls[0].headers['X-Device-Pending'], '1');
    assert.equal(calls[0].headers['X-CSRF-Token'], 't0');
    assert.deepEqual(await store.outboxItems(), []);
    assert.equal((await store.getRecord('contact', 'c1')).version, 1);
    assert.equal((await store.getRecord('participant', 'p1')).id, 'p1');
    assert.equal(await store.getMeta('cursor'), 'k2');
    const now = status();
    assert.equal(now.pending, 0);
    assert.equal(now.reachable, true);
    assert.equal(now.error, null);
    assert.equal(now.syncing, false);
    assert.ok(now.lastSyncAt);
  });

  test('an update carries its base version; the next pull continues from the cursor', async () => {
    scriptFetch([page([contact('c1')], 'k1')]);
    await syncNow();
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { summary: 'hi' }, base_version: 1 });
    const calls = scriptFetch([applied(2), page([contact('c1', 2, { summary: 'hi' })], 'k2')]);
    await syncNow();
    assert.equal(calls[0].body.mutations[0].base_version, 1);
    assert.equal(calls[1].path, '/api/v1/sync/pull?cursor=k1');
    assert.equal((await store.getRecord('contact', 'c1')).summary, 'hi');
  });

  test('nobody signed in: nothing is sent', async () => {
    await accounts.setSettings({ current: undefined });
    await restore();
    const calls = scriptFetch([]);
    await syncNow();
    assert.equal(calls.length, 0);
    await accounts.setSettings({ current: USER.username });
    await restore();
  });
});

describe('conflicts', () => {
  test('a conflict stays for the user, the pull goes on; "keep mine" sends it on the server version', async () => {
    scriptFetch([page([contact('c1')], 'k1')]);
    await syncNow();
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { summary: 'mine' }, base_version: 1 });
    const current = { ...contact('c1', 3, { summary: 'theirs' }).data, version: 3 };
    let calls = scriptFetch([
      ({ body }) => answer(200, { results: [{ mutation_id: body.mutations[0].mutation_id, status: 'conflict', current }] }),
      page([], 'k2'),
    ]);
    await syncNow();
    assert.equal(calls.length, 2);
    const [entry] = await store.outboxItems();
    assert.equal(entry.status, 'conflict');
    assert.equal(status().attention, 1);
    assert.equal(status().pending, 0);

    calls = scriptFetch([page([], 'k3')]); // a round does not send it again by itself
    await syncNow();
    assert.deepEqual(calls.map((c) => c.method), ['GET']);

    await store.resolve(entry.seq, 'mine');
    calls = scriptFetch([applied(4), page([], 'k4')]);
    await syncNow();
    const [sent] = calls[0].body.mutations;
    assert.equal(sent.base_version, 3);
    assert.notEqual(sent.mutation_id, entry.mutation_id);
    assert.deepEqual(sent.data, { summary: 'mine' });
    assert.deepEqual(await store.outboxItems(), []);
  });
});

describe('failures', () => {
  test('Retry-After: everything stays, automatic syncs wait that long, "Sync now" does not', async () => {
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1' } });
    let calls = scriptFetch([failure(429, 'rate_limited', { 'Retry-After': '120' })]);
    await syncNow();
    assert.equal(calls.length, 1);
    assert.equal(status().error, 'rate_limited');
    assert.equal(status().reachable, true);
    assert.equal(status().pending, 1);
    assert.equal(retries.length, 1);
    assert.ok(retries[0] >= 120_000 && retries[0] <= 123_000, `retry in ${retries[0]} ms`);

    calls = scriptFetch([]);
    changed(); // a new change: would sync at once, but the server said wait
    await new Promise((resolve) => realSetTimeout(resolve, 50));
    assert.equal(calls.length, 0);

    calls = scriptFetch([applied(), page([], 'k1')]);
    await syncNow();
    assert.equal(calls.length, 2);
    assert.equal(status().error, null);
    assert.deepEqual(await store.outboxItems(), []);
  });

  test('no answer or a 5xx: try again later, waiting longer after each failure', async () => {
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1' } });
    scriptFetch([() => { throw new TypeError('Failed to fetch'); }, failure(503, 'unavailable')]);
    await syncNow();
    assert.equal(status().reachable, false);
    assert.equal(status().error, 'network');
    await syncNow();
    assert.equal(status().reachable, true);
    assert.equal(retries.length, 2);
    assert.ok(retries[0] >= 5_000 && retries[0] <= 8_000, `first retry in ${retries[0]} ms`);
    assert.ok(retries[1] >= 10_000 && retries[1] <= 13_000, `second retry in ${retries[1]} ms`);
    assert.equal((await store.outboxItems())[0].status, 'pending');
  });

  test('a 401 pauses everything until the same person signs in again', async () => {
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1' } });
    let calls = scriptFetch([failure(401, 'unauthorized')]);
    await syncNow();
    assert.equal(calls.length, 1);
    assert.equal(status().authNeeded, true);
    assert.equal(await store.getMeta('auth_needed'), true);
    assert.equal(retries.length, 0);
    calls = scriptFetch([]);
    await syncNow();
    assert.equal(calls.length, 0);
    assert.equal((await store.outboxItems()).length, 1);
  });

  test('an expired cursor: pull everything again, and drop what it did not bring', async () => {
    scriptFetch([page([contact('c1'), contact('c2')], 'k1')]);
    await syncNow();
    const calls = scriptFetch([failure(410, 'cursor_expired'), page([contact('c2')], 'n1')]);
    await syncNow();
    assert.deepEqual(calls.map((c) => c.path), ['/api/v1/sync/pull?cursor=k1', '/api/v1/sync/pull']);
    assert.deepEqual((await store.listRecords('contact')).map((c) => c.id), ['c2']);
    assert.equal(await store.getMeta('cursor'), 'n1');
  });

  test('a stale CSRF token: fetch a fresh one and send once more', async () => {
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1' } });
    const calls = scriptFetch([
      failure(403, 'csrf_failed'),
      ok({ user: USER, csrf_token: 't1' }),
      applied(),
      page([], 'k1'),
    ]);
    await syncNow();
    assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`),
      ['POST /api/v1/sync/push', 'GET /api/v1/auth/me', 'POST /api/v1/sync/push', 'GET /api/v1/sync/pull']);
    assert.equal(calls[2].headers['X-CSRF-Token'], 't1');
    assert.equal(calls[0].body.mutations[0].mutation_id, calls[2].body.mutations[0].mutation_id);
    assert.deepEqual(await store.outboxItems(), []);
  });
});
