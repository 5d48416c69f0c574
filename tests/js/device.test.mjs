// Device protection (SPEC §11) below the browser: the vault's primitives, PIN rules,
// the store's rows holding no names in clear, the earlier plaintext store brought in,
// PIN unlock and its five tries, the lease, separate people, and a revoked device.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { answer, rawRows, readable, scriptFetch, unlockedAs } from './helpers.mjs';
import * as accounts from '../../static/app/accounts.js';
import { pinProblem } from '../../static/app/rules.js';
import * as session from '../../static/app/session.js';
import * as store from '../../static/app/store.js';
import { syncNow } from '../../static/app/sync.js';
import * as vault from '../../static/app/vault.js';

globalThis.navigator ??= { userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/120.0', onLine: true };

const NAME = 'Әлия Сейтқали';
const NUMBER = 'KZ-ALM-004417';
const SUMMARY = 'Met her at the bus station in Almaty';
const AMINA = { id: 'u1', username: 'amina', display_name: 'Amina Caseworker', role: 'caseworker', locale: 'en' };
const BAKHYT = { id: 'u2', username: 'bakhyt', display_name: 'Bakhyt Caseworker', role: 'caseworker', locale: 'en' };
const KEYS = { u1: Buffer.alloc(32, 7).toString('base64url'), u2: Buffer.alloc(32, 9).toString('base64url') };

/** The server's answer to a field sign-in: the user, and the device with its escrow key. */
function loginAnswer(user) {
  return ({ headers }) => answer(200, {
    user, csrf_token: `csrf-${user.id}`, mfa_setup_required: false, password_change_required: false,
    device: { id: headers['X-Device-Id'], key: KEYS[user.id] },
    device_policy: { idle_lock_minutes: 5, offline_lease_hours: 72 },
  });
}

/** Forget every account and store of the (fake) device. */
async function emptyDevice() {
  store.closeStore();
  for (const account of await accounts.allAccounts()) await accounts.deleteAccount(account.username);
  await accounts.setSettings({ current: undefined });
  await session.restore();
}

beforeEach(emptyDevice);

describe('the vault', () => {
  test('sealed values open with their key only, and the data key cannot be exported', async () => {
    const key = await vault.newDataKey();
    const box = await vault.seal(key, { name: NAME });
    assert.ok(!readable([box]).includes(NAME));
    assert.deepEqual(await vault.open(key, box), { name: NAME });
    await assert.rejects(vault.open(await vault.newDataKey(), box));
    const salt = vault.randomBytes(16);
    const wrapped = await vault.wrap(key, await vault.pinKey('204913', salt, 1000));
    const inUse = await vault.unwrap(wrapped, await vault.pinKey('204913', salt, 1000));
    assert.deepEqual(await vault.open(inUse, box), { name: NAME });
    await assert.rejects(crypto.subtle.exportKey('raw', inUse)); // non-extractable in use
    await assert.rejects(vault.unwrap(wrapped, await vault.pinKey('204914', salt, 1000)));
  });

  test('PIN rules: six digits or more, no repeats, no runs', () => {
    const cases = { 204913: null, 12345: 'short', '12a456': 'digits', '': 'digits', 111111: 'repeated',
      123456: 'sequence', 987654: 'sequence', 890123: 'sequence', 1357924: null, 121212: null };
    for (const [pin, problem] of Object.entries(cases)) assert.equal(pinProblem(pin), problem, pin);
  });
});

describe('the store at rest', () => {
  test('no name, number or summary is stored in clear; a locked store answers nothing', async () => {
    const name = await unlockedAs(AMINA);
    await store.applyPull({ changes: [{ entity: 'participant', id: 'p1', version: 1,
      data: { given_name: NAME, prison_number: NUMBER } }], removed: [], cursor: 'k1' }, 1);
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', summary: SUMMARY }, label: NAME });
    await store.setMeta({ user_note: NAME });
    const stored = readable(await rawRows(name));
    for (const secret of [NAME, NUMBER, SUMMARY, 'Әлия']) assert.ok(!stored.includes(secret), secret);
    assert.ok(stored.includes('p1')); // ids stay in clear: they name nobody
    assert.equal((await store.getRecord('participant', 'p1')).prison_number, NUMBER);
    store.closeStore();
    await assert.rejects(store.listRecords('participant'), store.Locked);
  });

  test("an earlier version's plaintext store is encrypted into the user's, nothing unsent lost", async () => {
    await legacyStore();
    await session.restore();
    scriptFetch([loginAnswer(AMINA)]);
    assert.deepEqual(await session.signIn('amina', 'pw'), { choosePin: true });
    await session.chooseNewPin('204913');
    const [entry] = await store.outboxItems();
    assert.equal(entry.mutation_id, 'm-legacy');
    assert.equal(entry.seq, 7); // the order of sending is kept
    assert.equal(entry.data.summary, SUMMARY);
    assert.equal((await store.getRecord('participant', 'p1')).given_name, NAME);
    assert.equal(await store.getMeta('cursor'), 'old-cursor');
    assert.ok(!(await indexedDB.databases()).some((db) => db.name === 'prog-tracker-field'));
    assert.ok(!readable(await rawRows(session.currentAccount().store)).includes(SUMMARY));
  });
});

/** The unencrypted database of an earlier version, holding Amina's records and one change. */
async function legacyStore() {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('prog-tracker-field', 1);
    request.onupgradeneeded = () => {
      const base = request.result;
      base.createObjectStore('records', { keyPath: 'key' }).createIndex('entity', 'entity');
      base.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('mutation_id', 'mutation_id', { unique: true });
      base.createObjectStore('meta', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve) => {
    const t = db.transaction(['records', 'outbox', 'meta'], 'readwrite');
    t.objectStore('records').put({ key: 'participant:p1', entity: 'participant', id: 'p1', version: 1, gen: 1, data: { id: 'p1', given_name: NAME } });
    t.objectStore('outbox').put({ seq: 7, mutation_id: 'm-legacy', entity: 'contact', op: 'create', id: 'c9', status: 'pending',
      attempts: 0, data: { participant_id: 'p1', summary: SUMMARY }, label: '', owner: AMINA, base_version: null });
    t.objectStore('meta').put({ key: 'user', value: AMINA });
    t.objectStore('meta').put({ key: 'cursor', value: 'old-cursor' });
    t.oncomplete = resolve;
  });
  db.close();
}

describe('PIN and lock', () => {
  test('five wrong PINs erase the PIN; the outbox stays, encrypted; a password sign-in opens it', async () => {
    scriptFetch([loginAnswer(AMINA)]);
    await session.signIn('amina', 'pw');
    await session.chooseNewPin('204913');
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', summary: SUMMARY } });
    await syncCounts();
    session.lock();
    assert.ok(session.isLocked());
    const left = [];
    for (let i = 0; i < 5; i += 1) {
      await assert.rejects(session.unlock('999000'), (error) => left.push(error.left) && error instanceof session.WrongPin);
    }
    assert.deepEqual(left, [4, 3, 2, 1, 0]);
    assert.equal(session.unlockBlocker(), 'no_pin');
    assert.equal((await accounts.getAccount('amina')).pin, null);
    assert.ok(!readable(await rawRows(session.currentAccount().store)).includes(SUMMARY));
    scriptFetch([loginAnswer(AMINA)]);
    assert.deepEqual(await session.signIn('amina', 'pw'), { choosePin: true });
    await session.chooseNewPin('305714');
    assert.equal((await store.outboxItems())[0].data.summary, SUMMARY);
    session.lock();
    await session.unlock('305714');
    assert.ok(!session.isLocked());
  });

  test('the offline lease: after 72 hours without the server, only a password sign-in opens it', async () => {
    scriptFetch([loginAnswer(AMINA)]);
    await session.signIn('amina', 'pw');
    await session.chooseNewPin('204913');
    session.lock();
    await accounts.updateAccount('amina', { last_online_at: new Date(Date.now() - 73 * 3_600_000).toISOString() });
    await session.restore();
    assert.equal(session.unlockBlocker(), 'lease');
    await assert.rejects(session.unlock('204913'), /lease/);
  });

  test("another person on the same device: a store of their own; none of the first one's records", async () => {
    scriptFetch([loginAnswer(AMINA)]);
    await session.signIn('amina', 'pw');
    await session.chooseNewPin('204913');
    await store.applyPull({ changes: [{ entity: 'participant', id: 'p1', version: 1, data: { given_name: NAME } }], removed: [], cursor: 'a' }, 1);
    const aminas = session.currentAccount();
    await session.signOut();
    const calls = scriptFetch([loginAnswer(BAKHYT)]);
    await session.signIn('bakhyt', 'pw');
    await session.chooseNewPin('204913');
    assert.deepEqual(await store.listRecords('participant'), []);
    assert.notEqual(session.currentAccount().store, aminas.store);
    assert.notEqual(calls[0].headers['X-Device-Id'], aminas.device_id);
    assert.equal((await accounts.getAccount('amina')).store, aminas.store); // kept, encrypted, for her
  });

  test('signing out keeps the encrypted store for next time, unless asked to remove it', async () => {
    scriptFetch([loginAnswer(AMINA), () => answer(204, null)]);
    await session.signIn('amina', 'pw');
    await session.chooseNewPin('204913');
    const name = session.currentAccount().store;
    await session.signOut();
    assert.ok((await indexedDB.databases()).some((db) => db.name === name));
    assert.equal(session.currentUser(), null);
    scriptFetch([loginAnswer(AMINA), () => answer(204, null)]);
    await session.signIn('amina', 'pw'); // the PIN holds: the store opens at once
    assert.ok(!session.isLocked());
    await session.signOut({ removeData: true });
    assert.ok(!(await indexedDB.databases()).some((db) => db.name === name));
    assert.equal(await accounts.getAccount('amina'), null);
  });

  test("unsent changes of another person: nobody else signs in, and no password is sent", async () => {
    await unlockedAs(AMINA, { pending: 2 });
    await session.signOut();
    const calls = scriptFetch([]);
    await assert.rejects(session.signIn('bakhyt', 'pw'), session.DeviceInUse);
    assert.equal(calls.length, 0);
  });
});

/** Let the directory learn the outbox counts, as a sync round does. */
async function syncCounts() {
  await session.noteCounts(await store.outboxCounts());
}

describe("the server's escrow key replaced", () => {
  test('the PIN opens the store once more and wraps its key under the new one', async () => {
    scriptFetch([loginAnswer(AMINA)]);
    await session.signIn('amina', 'pw');
    await session.chooseNewPin('204913');
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', summary: SUMMARY } });
    await session.signOut();
    const replaced = (user) => ({ headers }) => answer(200, {
      user, csrf_token: 'c', mfa_setup_required: false, password_change_required: false,
      device: { id: headers['X-Device-Id'], key: Buffer.alloc(32, 3).toString('base64url') },
      device_policy: { idle_lock_minutes: 5, offline_lease_hours: 72 },
    });
    scriptFetch([replaced(AMINA)]);
    assert.deepEqual(await session.signIn('amina', 'pw'), { choosePin: false });
    assert.ok(session.isLocked()); // the old escrow wrapping no longer opens it: the PIN must
    await session.unlock('204913');
    assert.equal((await store.outboxItems())[0].data.summary, SUMMARY); // nothing lost
    await session.signOut();
    scriptFetch([replaced(AMINA)]);
    await session.signIn('amina', 'pw');
    assert.ok(!session.isLocked()); // wrapped under the new key now
  });
});

describe('a revoked device', () => {
  test('erases the store and keys at the first sync, then sends the receipt with the unsent count', async () => {
    const name = await unlockedAs(AMINA);
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', summary: SUMMARY } });
    await syncCounts();
    const calls = scriptFetch([
      () => answer(401, { error: { code: 'device_revoked', message: 'revoked', receipt_token: 'r-1' } }),
      () => answer(200, { id: 'dev-1' }),
    ]);
    await syncNow();
    assert.equal(calls[1].path, '/api/v1/devices/dev-1/wiped');
    assert.deepEqual(calls[1].body, { receipt_token: 'r-1', unsent_count: 1 });
    assert.ok(!(await indexedDB.databases()).some((db) => db.name === name));
    assert.equal(await accounts.getAccount('amina'), null);
    assert.equal(session.currentUser(), null);
  });
});
