// The device store of the signed-in user: the records pulled from the server,
// the outbox of changes made on the device, and a little metadata (cursor, last
// sync, the user). Screens read records through listRecords/getRecord, with the
// outbox's unsent changes laid over (overlay.js): a change shows at once.
// Encrypted at rest (SPEC §11): each user has a database of their own, and every
// record, outbox entry and metadata value in it is AES-GCM ciphertext under the
// user's data key (vault.js), which this module holds only while unlocked. Left
// in clear: ids, entity names, versions, states and counts, none of which names
// a person. IndexedDB transactions end at the first await that is not one of
// their requests, so everything is encrypted before a transaction and decrypted
// after it.
import { deleteDb, openDb, req, run as runIn } from './idb.js';
import { lineOf, overlay } from './overlay.js';
import { open as unseal, seal } from './vault.js';

const ACKNOWLEDGED = new Set(['applied', 'duplicate']);
const STORE_PREFIX = 'prog-tracker-u-';
let current = null; // {name, key, db}: the unlocked store
const plain = new Map(); // what each stored box holds, while unlocked: `${where}:${id}` -> {tag, value}
let queue = Promise.resolve(); // read-modify-write steps, one at a time

/** Raised when the store is asked for something while locked. */
export class Locked extends Error {
  constructor() {
    super('locked');
  }
}

/** A new store name for a user on this device (random: it names nobody). */
export function newStoreName() {
  return STORE_PREFIX + crypto.randomUUID();
}

/** Unlock: use the store `name` with the data key `key` (a non-extractable CryptoKey). */
export function openStore(name, key) {
  closeStore();
  current = { name, key, db: openDb(name, 1, createStores) };
}

/** The stores of a user's database. */
function createStores(base) {
  const records = base.createObjectStore('records', { keyPath: 'key' });
  records.createIndex('entity', 'entity');
  records.createIndex('pid', 'pid'); // a person's records, to drop them all when they leave
  base.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true })
    .createIndex('mutation_id', 'mutation_id', { unique: true });
  base.createObjectStore('meta', { keyPath: 'key' });
}

/** Lock: forget the key and everything decrypted. */
export function closeStore() {
  const was = current;
  current = null;
  plain.clear();
  was?.db.then((base) => base.close(), () => {});
}

/** True while a store is unlocked. */
export function isOpen() {
  return current !== null;
}

/** Delete a user's store from the device (locking it first if it is the open one). */
export async function destroyStore(name) {
  if (current?.name === name) closeStore();
  await deleteDb(name);
}

/** A transaction on the open store. */
async function run(names, mode, body) {
  if (!current) throw new Locked();
  return runIn(await current.db, names, mode, body);
}

/** The data key (or Locked). */
function dataKey() {
  if (!current) throw new Locked();
  return current.key;
}

/** Run step after every earlier read-modify-write step has finished. */
function exclusive(step) {
  const result = queue.then(step);
  queue = result.catch(() => {});
  return result;
}

/** A box sealed with the data key. */
const lock = (value) => seal(dataKey(), value);

/** What a stored row's box holds (decrypted once per box while unlocked). */
async function unlockRow(where, id, box) {
  const tag = String.fromCharCode(...box.iv);
  const cached = plain.get(`${where}:${id}`);
  if (cached && cached.tag === tag) return cached.value;
  const value = await unseal(dataKey(), box);
  plain.set(`${where}:${id}`, { tag, value });
  return value;
}

const keyOf = (entity, id) => `${entity}:${id}`;

// ---- metadata ----

/** One metadata value (undefined when unset). */
export async function getMeta(key) {
  const row = await run(['meta'], 'readonly', (s) => req(s.meta.get(key)));
  return row ? unseal(dataKey(), row.box) : undefined;
}

/** Set several metadata values at once ({key: value}; undefined deletes). */
export async function setMeta(values) {
  const rows = await Promise.all(Object.entries(values).map(async ([key, value]) =>
    ({ key, box: value === undefined ? null : await lock(value) })));
  await run(['meta'], 'readwrite', async (s) => {
    for (const row of rows) {
      if (row.box === null) s.meta.delete(row.key);
      else s.meta.put(row);
    }
  });
}

// ---- records, as screens see them ----

/** A stored record row as {data, id, version}. */
async function readRecord(row) {
  return { id: row.id, version: row.version, data: await unlockRow('r', row.key, row.box) };
}

/** A record ready to store: its data sealed, its ids in clear. */
async function recordRow(entity, id, version, data, gen) {
  return { key: keyOf(entity, id), entity, id, version, gen, pid: data.participant_id || null,
    line: lineOf(entity, data), box: await lock(data) };
}

/** Every record of entity, with the device's unsent changes laid over. */
export async function listRecords(entity) {
  const [rows, entries] = await run(['records', 'outbox'], 'readonly', async (s) =>
    [await req(s.records.index('entity').getAll(entity)), await req(s.outbox.getAll())]);
  const records = await Promise.all(rows.map(readRecord));
  const mine = await Promise.all(entries.filter((e) => e.entity === entity).map(readEntry));
  return overlay(entity, records, mine);
}

/** One record (merged with unsent changes), or null. */
export async function getRecord(entity, id) {
  const all = await listRecords(entity);
  return all.find((record) => record.id === id) || null;
}

// ---- the outbox ----

const SEALED_FIELDS = ['data', 'label', 'errors', 'current'];

/** A stored outbox row as the entry the app works with. */
async function readEntry(row) {
  const { box, ...clear } = row;
  return { ...clear, ...(await unlockRow('o', row.seq, box)) };
}

/** An entry ready to store: what it says sealed, its ids and state in clear. */
async function entryRow(entry) {
  const sealed = Object.fromEntries(SEALED_FIELDS.map((field) => [field, entry[field] ?? null]));
  const clear = Object.fromEntries(Object.entries(entry).filter(([field]) => !SEALED_FIELDS.includes(field)));
  const data = entry.data || {};
  return { ...clear, line: lineOf(entry.entity, { ...data, id: entry.id }),
    pid: data.participant_id || null, box: await lock(sealed) };
}

/** Queue a change made on the device; unsent changes to the same record are merged. */
export function queueMutation({ entity, op, id, data, base_version: baseVersion, label }) {
  return exclusive(async () => {
    const line = lineOf(entity, { ...data, id });
    const rows = await run(['outbox'], 'readonly', (s) => req(s.outbox.getAll()));
    const openRow = rows.find((e) => e.entity === entity && e.status === 'pending' && !e.attempts && e.line === line);
    // The same create again (a double tap on Save) is the same record: it merges too.
    if (openRow && (op === 'update' || entity === 'attendance' || (op === 'create' && openRow.op === 'create'))) {
      // Never sent, so its mutation_id was never seen: safe to change in place.
      const entry = await readEntry(openRow);
      entry.data = { ...entry.data, ...data };
      const row = await entryRow(entry);
      await run(['outbox'], 'readwrite', (s) => req(s.outbox.put(row)));
      return entry;
    }
    const entry = {
      mutation_id: crypto.randomUUID(), entity, op, id, data, label: label || '',
      base_version: baseVersion ?? null, status: 'pending', attempts: 0, created_at: new Date().toISOString(),
    };
    const row = await entryRow(entry);
    entry.seq = await run(['outbox'], 'readwrite', (s) => req(s.outbox.add(row)));
    return entry;
  });
}

/** Every outbox entry, oldest first. */
export async function outboxItems() {
  const rows = await run(['outbox'], 'readonly', (s) => req(s.outbox.getAll()));
  return Promise.all(rows.map(readEntry));
}

/** One outbox entry by its sequence number (null when gone). */
export async function outboxItem(seq) {
  const row = await run(['outbox'], 'readonly', (s) => req(s.outbox.get(Number(seq))));
  return row ? readEntry(row) : null;
}

/** Counts for the status bar: waiting to send, and needing the user's decision. */
export async function outboxCounts() {
  const states = await run(['outbox'], 'readonly', (s) => req(s.outbox.getAll()));
  const pending = states.filter((e) => e.status === 'pending').length;
  return { pending, attention: states.length - pending, total: states.length };
}

/** The next pending entries to push (skipping seqs in `sent`), marked as attempted
 * so that they are never edited in place again. */
export function takeBatch(max, maxBytes, sent = new Set()) {
  return exclusive(async () => {
    const rows = await run(['outbox'], 'readwrite', async (s) => {
      const batch = [];
      let bytes = 0;
      for (const row of await req(s.outbox.getAll())) {
        if (row.status !== 'pending' || sent.has(row.seq)) continue;
        bytes += row.box.ct.byteLength + 300;
        if (batch.length >= max || (batch.length && bytes > maxBytes)) break;
        row.attempts += 1;
        s.outbox.put(row);
        batch.push(row);
      }
      return batch;
    });
    return Promise.all(rows.map(readEntry));
  });
}

/** Record the server's answers: acknowledged entries go, conflicts and rejections stay. */
export function settle(batch, results) {
  return exclusive(async () => {
    const gen = (await getMeta('gen')) ?? 0;
    const byId = new Map(results.map((result) => [result.mutation_id, result]));
    const acknowledged = [];
    const kept = [];
    for (const entry of batch) {
      const result = byId.get(entry.mutation_id);
      if (!result) continue; // no answer for it: it stays pending and goes again
      if (ACKNOWLEDGED.has(result.status)) acknowledged.push([entry, result]);
      else if (result.status === 'conflict' || result.status === 'rejected') {
        kept.push({ ...entry, status: result.status, errors: result.errors || null, current: result.current || null });
      }
    }
    const provisional = await Promise.all(acknowledged.map(([entry, result]) => provisionalRow(entry, result, gen)));
    const keptRows = await Promise.all(kept.map(entryRow));
    await run(['outbox', 'records'], 'readwrite', async (s) => {
      for (const [index, [entry]] of acknowledged.entries()) {
        const row = provisional[index];
        if (entry.entity === 'attendance') await dropOtherLines(s.records, row);
        s.records.put(row);
        s.outbox.delete(entry.seq);
      }
      for (const row of keptRows) s.outbox.put(row);
    });
  });
}

/** Until the next pull, keep what the server accepted so the record does not blink out. */
async function provisionalRow(entry, result, gen) {
  const id = result.id || entry.id;
  const existing = await run(['records'], 'readonly', (s) => req(s.records.get(keyOf(entry.entity, id))));
  const before = existing ? (await readRecord(existing)).data : {};
  const version = result.version ?? (existing ? existing.version + 1 : 1);
  return recordRow(entry.entity, id, version, { ...before, ...entry.data, id }, gen);
}

/** Remove stale copies of an attendance line stored under another id. */
async function dropOtherLines(records, row) {
  for (const other of await req(records.index('entity').getAll('attendance'))) {
    if (other.id !== row.id && other.line === row.line) records.delete(other.key);
  }
}

/** Resolve a conflict or rejection: 'mine' sends again, 'theirs' drops mine, 'edit' sends data. */
export function resolve(seq, choice, data) {
  return exclusive(async () => {
    const entry = await outboxItem(seq);
    if (!entry) return;
    const gen = (await getMeta('gen')) ?? 0;
    const theirs = entry.current;
    // The server's version becomes the device's copy in every case.
    const record = theirs && theirs.id ? await recordRow(entry.entity, theirs.id, theirs.version, theirs, gen) : null;
    let row = null;
    if (choice !== 'theirs' && choice !== 'discard') {
      if (data) entry.data = data;
      if (entry.entity === 'attendance') entry.data = { ...entry.data, recorded_at: new Date().toISOString() };
      Object.assign(entry, {
        mutation_id: crypto.randomUUID(), // a changed payload needs a new id (else id_reuse)
        base_version: theirs ? theirs.version : entry.base_version,
        status: 'pending', attempts: 0, errors: null, current: null,
      });
      row = await entryRow(entry);
    }
    await run(['outbox', 'records'], 'readwrite', async (s) => {
      if (record) s.records.put(record);
      if (row) s.outbox.put(row);
      else s.outbox.delete(entry.seq);
    });
  });
}

// ---- pulling ----

/** Store one page of /sync/pull; returns how many people left the device. */
export function applyPull(page, gen) {
  return exclusive(async () => {
    const rows = await Promise.all((page.changes || []).map((change) =>
      recordRow(change.entity, change.id, change.version, { ...change.data, id: change.id }, gen)));
    const cursor = await lock(page.cursor);
    const { gone, orphans } = await run(['records', 'outbox', 'meta'], 'readwrite', async (s) => {
      for (const row of rows) {
        const existing = await req(s.records.get(row.key));
        if (existing && existing.version > row.version) continue; // an older copy arrived late
        s.records.put(row);
      }
      const removed = await removeRecords(s.records, page.removed || []);
      s.meta.put({ key: 'cursor', box: cursor });
      return { gone: removed, orphans: await orphanRows(s.outbox, removed) };
    });
    await flagOrphans(orphans);
    return gone.people.size;
  });
}

/** Delete removed records, and everything about a removed person, at once. */
async function removeRecords(records, removed) {
  const gone = { keys: new Set(), people: new Set() };
  for (const item of removed) {
    gone.keys.add(keyOf(item.entity, item.id));
    if (item.entity === 'participant') gone.people.add(item.id);
    records.delete(keyOf(item.entity, item.id));
  }
  for (const person of gone.people) {
    for (const key of await req(records.index('pid').getAllKeys(person))) records.delete(key);
  }
  return gone;
}

/** Pending outbox rows about removed records. */
async function orphanRows(outbox, gone) {
  if (!gone.keys.size) return [];
  return (await req(outbox.getAll())).filter((row) => row.status === 'pending'
    && (gone.keys.has(keyOf(row.entity, row.id)) || gone.people.has(row.pid)));
}

/** Unsent changes about removed records stay, as rejections the user must see. */
async function flagOrphans(rows) {
  if (!rows.length) return;
  const flagged = await Promise.all(rows.map(async (row) =>
    entryRow({ ...(await readEntry(row)), status: 'rejected', errors: { code: 'out_of_scope' }, current: null })));
  await run(['outbox'], 'readwrite', async (s) => {
    for (const row of flagged) s.outbox.put(row);
  });
}

/** After a pull from scratch: delete what it did not bring (left scope while the cursor was lost). */
export function dropStale(gen) {
  return exclusive(() => run(['records'], 'readwrite', async (s) => {
    for (const row of await req(s.records.getAll())) if (row.gen !== gen) s.records.delete(row.key);
  }));
}

// ---- an earlier version's store, in clear ----

/** Encrypt the records, outbox and sync position of an unencrypted store (an earlier
 * version's) into the open one, then delete it; nothing unsent is lost. */
export function adoptPlaintext(name) {
  return exclusive(async () => {
    const old = await openDb(name, 1, () => {});
    const names = ['records', 'outbox', 'meta'].filter((n) => old.objectStoreNames.contains(n));
    const rows = names.length === 3 ? await runIn(old, names, 'readonly', async (s) => ({
      records: await req(s.records.getAll()), outbox: await req(s.outbox.getAll()), meta: await req(s.meta.getAll()),
    })) : { records: [], outbox: [], meta: [] };
    old.close();
    const records = await Promise.all(rows.records.map((r) => recordRow(r.entity, r.id, r.version, r.data, r.gen)));
    // Whose change it was is the store's owner now: the entries need not say it.
    const entries = await Promise.all(rows.outbox.map((entry) => entryRow({ ...entry, owner: undefined })));
    const kept = rows.meta.filter((m) => ['cursor', 'gen', 'full_sync', 'last_sync_at'].includes(m.key));
    const meta = await Promise.all(kept.map(async (m) => ({ key: m.key, box: await lock(m.value) })));
    await run(['records', 'outbox', 'meta'], 'readwrite', async (s) => {
      for (const row of records) s.records.put(row);
      for (const row of entries) s.outbox.put(row); // same seq: the order of sending is kept
      for (const row of meta) s.meta.put(row);
    });
    await deleteDb(name);
    return { records: records.length, outbox: entries.length };
  });
}
