// The device store: the ONLY module that reads or writes IndexedDB.
// It holds the records pulled from the server, the outbox of changes made on
// the device, and a little metadata (cursor, last sync, who is signed in).
// Screens see records through listRecords/getRecord, which lay the outbox's
// unsent changes over the server's copy, so a change shows at once and a pull
// never hides it. Encryption at rest (a PIN-wrapped key) belongs here too:
// wrap `data` on the way in and out, and nothing else has to change.

const DB_NAME = 'prog-tracker-field';
const DB_VERSION = 1;
const ACKNOWLEDGED = new Set(['applied', 'duplicate']);
let opening = null;

/** The open database (created on first use). */
function db() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const base = request.result;
      base.createObjectStore('records', { keyPath: 'key' }).createIndex('entity', 'entity');
      base.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true })
        .createIndex('mutation_id', 'mutation_id', { unique: true });
      base.createObjectStore('meta', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/** A request's result as a promise. */
function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Run body(stores) in one transaction; resolves with its result once committed. */
async function run(names, mode, body) {
  const transaction = (await db()).transaction(names, mode);
  const stores = Object.fromEntries(names.map((name) => [name, transaction.objectStore(name)]));
  const done = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('aborted'));
  });
  const result = await body(stores);
  await done;
  return result;
}

const keyOf = (entity, id) => `${entity}:${id}`;
// Attendance is one line per (session, person): a new mark replaces the old one.
const lineOf = (entity, data) =>
  (entity === 'attendance' ? `${data.session_id}|${data.participant_id}` : data.id);

// ---- metadata ----

/** One metadata value (undefined when unset). */
export async function getMeta(key) {
  const row = await run(['meta'], 'readonly', (s) => req(s.meta.get(key)));
  return row ? row.value : undefined;
}

/** Set several metadata values at once ({key: value}; undefined deletes). */
export function setMeta(values) {
  return run(['meta'], 'readwrite', async (s) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) s.meta.delete(key);
      else s.meta.put({ key, value });
    }
  });
}

// ---- records, as screens see them ----

/** Every record of entity, with the device's unsent changes laid over. */
export async function listRecords(entity) {
  return run(['records', 'outbox'], 'readonly', async (s) => {
    const rows = await req(s.records.index('entity').getAll(entity));
    const outbox = await req(s.outbox.getAll());
    return overlay(entity, rows, outbox.filter((m) => m.entity === entity));
  });
}

/** One record (merged with unsent changes), or null. */
export async function getRecord(entity, id) {
  const all = await listRecords(entity);
  return all.find((record) => record.id === id) || null;
}

/** Server rows plus outbox entries -> the records a screen shows. */
function overlay(entity, rows, entries) {
  const byLine = new Map();
  for (const row of rows) byLine.set(lineOf(entity, row.data), { ...row.data, id: row.id, version: row.version });
  for (const entry of entries) {
    const line = lineOf(entity, { ...entry.data, id: entry.id });
    const base = byLine.get(line);
    if (entry.status !== 'pending') {
      // Not applied anywhere: the server's copy stays, flagged; a new record shows as it was typed.
      if (base) base._attention = true;
      else if (entry.op === 'create') byLine.set(line, { ...entry.data, id: entry.id, _attention: true });
      continue;
    }
    if (entry.op === 'create') {
      byLine.set(line, { ...(base || {}), ...entry.data, id: base ? base.id : entry.id, _pending: true });
    } else if (base) {
      byLine.set(line, { ...base, ...entry.data, _pending: true });
    } // an update of a record not on the device (yet) waits in the outbox, unseen here

  }
  return [...byLine.values()];
}

// ---- the outbox ----

/** Queue a change made on the device; unsent changes to the same record are merged. */
export async function queueMutation({ entity, op, id, data, base_version: baseVersion, label }) {
  return run(['outbox', 'meta'], 'readwrite', async (s) => {
    const user = await req(s.meta.get('user'));
    const entries = await req(s.outbox.getAll());
    const line = lineOf(entity, { ...data, id });
    const open = entries.find((e) => e.entity === entity && e.status === 'pending' && !e.attempts
      && lineOf(entity, { ...e.data, id: e.id }) === line);
    // The same create again (a double tap on Save) is the same record: it merges too.
    if (open && (op === 'update' || entity === 'attendance' || (op === 'create' && open.op === 'create'))) {
      // Never sent, so its mutation_id was never seen: safe to change in place.
      open.data = { ...open.data, ...data };
      await req(s.outbox.put(open));
      return open;
    }
    const entry = {
      mutation_id: crypto.randomUUID(), entity, op, id, data, label: label || '',
      base_version: baseVersion ?? null, status: 'pending', attempts: 0,
      owner: ownerOf(user?.value), created_at: new Date().toISOString(),
    };
    entry.seq = await req(s.outbox.add(entry));
    return entry;
  });
}

/** Who made a change: enough to name them when another person tries to sign in. */
function ownerOf(user) {
  return user ? { id: user.id, username: user.username, display_name: user.display_name } : null;
}

/** Every outbox entry, oldest first. */
export function outboxItems() {
  return run(['outbox'], 'readonly', (s) => req(s.outbox.getAll()));
}

/** One outbox entry by its sequence number. */
export function outboxItem(seq) {
  return run(['outbox'], 'readonly', (s) => req(s.outbox.get(Number(seq))));
}

/** Counts for the status bar: waiting to send, and needing the user's decision. */
export async function outboxCounts() {
  const items = await outboxItems();
  const pending = items.filter((e) => e.status === 'pending').length;
  return { pending, attention: items.length - pending, total: items.length };
}

/** The next pending entries to push (skipping seqs in `sent`), marked as attempted
 * so that they are never edited in place again. */
export async function takeBatch(max, maxBytes, sent = new Set()) {
  return run(['outbox'], 'readwrite', async (s) => {
    const batch = [];
    let bytes = 0;
    for (const entry of await req(s.outbox.getAll())) {
      if (entry.status !== 'pending' || sent.has(entry.seq)) continue;
      bytes += JSON.stringify(entry.data).length + 300;
      if (batch.length >= max || (batch.length && bytes > maxBytes)) break;
      entry.attempts += 1;
      s.outbox.put(entry);
      batch.push(entry);
    }
    return batch;
  });
}

/** Record the server's answers: acknowledged entries go, conflicts and rejections stay. */
export async function settle(batch, results) {
  return run(['outbox', 'records', 'meta'], 'readwrite', async (s) => {
    const gen = (await req(s.meta.get('gen')))?.value ?? 0;
    const byId = new Map(results.map((result) => [result.mutation_id, result]));
    for (const entry of batch) {
      const result = byId.get(entry.mutation_id);
      if (!result) continue; // no answer for it: it stays pending and goes again
      if (ACKNOWLEDGED.has(result.status)) {
        await keepProvisional(s.records, entry, result, gen);
        s.outbox.delete(entry.seq);
      } else if (result.status === 'conflict' || result.status === 'rejected') {
        Object.assign(entry, { status: result.status, errors: result.errors || null, current: result.current || null });
        s.outbox.put(entry);
      }
    }
  });
}

/** Until the next pull, keep what the server accepted so the record does not blink out. */
async function keepProvisional(records, entry, result, gen) {
  const id = result.id || entry.id;
  const existing = await req(records.get(keyOf(entry.entity, id)));
  const data = { ...(existing ? existing.data : {}), ...entry.data, id };
  const version = result.version ?? (existing ? existing.version + 1 : 1);
  if (entry.entity === 'attendance') await dropOtherLines(records, data, id);
  records.put({ key: keyOf(entry.entity, id), entity: entry.entity, id, version, data, gen });
}

/** Remove stale copies of an attendance line stored under another id. */
async function dropOtherLines(records, data, id) {
  for (const row of await req(records.index('entity').getAll('attendance'))) {
    if (row.id !== id && lineOf('attendance', row.data) === lineOf('attendance', data)) records.delete(row.key);
  }
}

/** Resolve a conflict or rejection: 'mine' sends again, 'theirs' drops mine, 'edit' sends data. */
export async function resolve(seq, choice, data) {
  return run(['outbox', 'records', 'meta'], 'readwrite', async (s) => {
    const entry = await req(s.outbox.get(Number(seq)));
    if (!entry) return;
    const gen = (await req(s.meta.get('gen')))?.value ?? 0;
    const current = entry.current;
    if (current && current.id) {
      // The server's version becomes the device's copy in every case.
      s.records.put({ key: keyOf(entry.entity, current.id), entity: entry.entity, id: current.id,
        version: current.version, data: current, gen });
    }
    if (choice === 'theirs' || choice === 'discard') {
      s.outbox.delete(entry.seq);
      return;
    }
    if (data) entry.data = data;
    if (entry.entity === 'attendance') entry.data = { ...entry.data, recorded_at: new Date().toISOString() };
    Object.assign(entry, {
      mutation_id: crypto.randomUUID(), // a changed payload needs a new id (else id_reuse)
      base_version: current ? current.version : entry.base_version,
      status: 'pending', attempts: 0, errors: null, current: null,
    });
    s.outbox.put(entry);
  });
}

// ---- pulling ----

/** Store one page of /sync/pull; returns how many people left the device. */
export async function applyPull(page, gen) {
  return run(['records', 'outbox', 'meta'], 'readwrite', async (s) => {
    for (const change of page.changes || []) {
      const key = keyOf(change.entity, change.id);
      const existing = await req(s.records.get(key));
      if (existing && existing.version > change.version) continue; // an older copy arrived late
      const data = { ...change.data, id: change.id };
      s.records.put({ key, entity: change.entity, id: change.id, version: change.version, data, gen });
    }
    const gone = await removeRecords(s.records, page.removed || []);
    await flagOrphans(s.outbox, gone);
    s.meta.put({ key: 'cursor', value: page.cursor });
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
  if (gone.people.size) {
    for (const row of await req(records.getAll())) {
      if (gone.people.has(row.data.participant_id)) records.delete(row.key);
    }
  }
  return gone;
}

/** Unsent changes about removed records stay, as rejections the user must see. */
async function flagOrphans(outbox, gone) {
  if (!gone.keys.size) return;
  for (const entry of await req(outbox.getAll())) {
    const hit = gone.keys.has(keyOf(entry.entity, entry.id)) || gone.people.has(entry.data.participant_id);
    if (hit && entry.status === 'pending') {
      Object.assign(entry, { status: 'rejected', errors: { code: 'out_of_scope' }, current: null });
      outbox.put(entry);
    }
  }
}

/** After a pull from scratch: delete what it did not bring (left scope while the cursor was lost). */
export function dropStale(gen) {
  return run(['records'], 'readwrite', async (s) => {
    for (const row of await req(s.records.getAll())) if (row.gen !== gen) s.records.delete(row.key);
  });
}

/** Forget the signed-in user's records and sync position (the outbox stays: nothing is lost). */
export function clearRecords() {
  return run(['records', 'meta'], 'readwrite', async (s) => {
    s.records.clear();
    for (const key of ['cursor', 'gen', 'full_sync', 'last_sync_at']) s.meta.delete(key);
  });
}
