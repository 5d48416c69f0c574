// The device store (static/app/store.js) on an in-memory IndexedDB: metadata,
// records with the outbox laid over them, the outbox's order and answers, pulls.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { wipe } from './helpers.mjs';
import * as store from '../../static/app/store.js';

const person = (id, extra = {}) => ({ entity: 'participant', id, version: 1, data: { id, given_name: id, ...extra } });
const contact = (id, participantId, extra = {}) => ({
  entity: 'contact', id, version: 1,
  data: { id, participant_id: participantId, mode: 'visit', occurred_at: '2025-04-01T09:00:00Z', ...extra },
});
const pull = (changes, removed = [], cursor = 'c1') => store.applyPull({ changes, removed, cursor, has_more: false }, 1);

beforeEach(() => wipe(store));

describe('metadata', () => {
  test('set, get, and undefined deletes', async () => {
    await store.setMeta({ cursor: 'abc', gen: 2 });
    assert.equal(await store.getMeta('cursor'), 'abc');
    assert.equal(await store.getMeta('gen'), 2);
    await store.setMeta({ cursor: undefined });
    assert.equal(await store.getMeta('cursor'), undefined);
    assert.equal(await store.getMeta('never'), undefined);
  });
});

describe('records', () => {
  test('a pull puts records; list and get read them', async () => {
    await pull([person('p1'), person('p2'), contact('c1', 'p1')]);
    const people = await store.listRecords('participant');
    assert.deepEqual(people.map((p) => p.id).sort(), ['p1', 'p2']);
    assert.deepEqual(await store.getRecord('participant', 'p1'), { id: 'p1', given_name: 'p1', version: 1 });
    assert.equal(await store.getRecord('participant', 'nobody'), null);
    assert.equal(await store.getMeta('cursor'), 'c1');
  });

  test('an older copy arriving late does not replace a newer one', async () => {
    await pull([{ ...person('p1', { given_name: 'New' }), version: 3 }]);
    await pull([{ ...person('p1', { given_name: 'Old' }), version: 2 }]);
    assert.equal((await store.getRecord('participant', 'p1')).given_name, 'New');
  });

  test('unsent changes are laid over the server copy', async () => {
    await pull([contact('c1', 'p1', { summary: 'server' })]);
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { summary: 'mine' }, base_version: 1 });
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c2', data: { participant_id: 'p1', mode: 'phone' } });
    const byId = Object.fromEntries((await store.listRecords('contact')).map((c) => [c.id, c]));
    assert.equal(byId.c1.summary, 'mine');
    assert.equal(byId.c1._pending, true);
    assert.equal(byId.c1.mode, 'visit'); // the fields not changed keep the server's values
    assert.equal(byId.c2.mode, 'phone');
    assert.equal(byId.c2._pending, true);
  });

  test('a removed person takes everything about them, and flags their unsent changes', async () => {
    await pull([person('p1'), person('p2'), contact('c1', 'p1'), contact('c2', 'p2')]);
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c3', data: { participant_id: 'p1', mode: 'visit' } });
    const gone = await pull([], [{ entity: 'participant', id: 'p1', reason: 'out_of_scope' }], 'c2');
    assert.equal(gone, 1);
    assert.deepEqual((await store.listRecords('participant')).map((p) => p.id), ['p2']);
    const contacts = await store.listRecords('contact');
    assert.deepEqual(contacts.map((c) => c.id).sort(), ['c2', 'c3']);
    const [entry] = await store.outboxItems();
    assert.equal(entry.status, 'rejected');
    assert.deepEqual(entry.errors, { code: 'out_of_scope' });
    assert.equal(contacts.find((c) => c.id === 'c3')._attention, true);
  });

  test('a pull from scratch drops what it did not bring', async () => {
    await store.applyPull({ changes: [person('p1'), person('p2')], removed: [], cursor: 'a' }, 1);
    await store.applyPull({ changes: [person('p2')], removed: [], cursor: 'b' }, 2);
    await store.dropStale(2);
    assert.deepEqual((await store.listRecords('participant')).map((p) => p.id), ['p2']);
  });
});

describe('the outbox', () => {
  test('entries keep their order and label', async () => {
    for (const id of ['a', 'b', 'c']) {
      await store.queueMutation({ entity: 'contact', op: 'create', id, data: { participant_id: 'p1' }, label: `L${id}` });
    }
    const items = await store.outboxItems();
    assert.deepEqual(items.map((e) => e.id), ['a', 'b', 'c']);
    assert.ok(items[0].seq < items[1].seq && items[1].seq < items[2].seq);
    assert.equal(items[2].label, 'Lc');
    assert.equal(new Set(items.map((e) => e.mutation_id)).size, 3);
    assert.deepEqual(await store.outboxCounts(), { pending: 3, attention: 0, total: 3 });
  });

  test('an unsent update merges into the open entry; once attempted, a new entry follows', async () => {
    await pull([contact('c1', 'p1')]);
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { summary: 'one' }, base_version: 1 });
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { location: 'home' }, base_version: 1 });
    let items = await store.outboxItems();
    assert.equal(items.length, 1);
    assert.deepEqual(items[0].data, { summary: 'one', location: 'home' });
    await store.takeBatch(10, 1_000_000);
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c1', data: { summary: 'two' }, base_version: 1 });
    items = await store.outboxItems();
    assert.equal(items.length, 2);
    assert.equal(items[0].attempts, 1);
  });

  test('the same create twice (a double tap on Save) is one entry and one record', async () => {
    const save = () => store.queueMutation({
      entity: 'contact', op: 'create', id: 'c9', data: { participant_id: 'p1', mode: 'phone' },
    });
    await Promise.all([save(), save()]);
    assert.equal((await store.outboxItems()).length, 1);
    assert.equal((await store.listRecords('contact')).length, 1);
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c10', data: { participant_id: 'p1', mode: 'visit' } });
    assert.equal((await store.outboxItems()).length, 2); // another id is another contact
  });

  test('attendance is one line per session and person', async () => {
    const mark = (id, status) => store.queueMutation({
      entity: 'attendance', op: 'create', id, data: { session_id: 's1', participant_id: 'p1', status },
    });
    await mark('m1', 'present');
    await mark('m2', 'absent');
    const items = await store.outboxItems();
    assert.equal(items.length, 1);
    assert.equal(items[0].data.status, 'absent');
    assert.equal((await store.listRecords('attendance')).length, 1);
  });

  test('takeBatch: oldest first, at most max, skipping those sent this round', async () => {
    for (const id of ['a', 'b', 'c']) await store.queueMutation({ entity: 'contact', op: 'create', id, data: {} });
    const first = await store.takeBatch(2, 1_000_000);
    assert.deepEqual(first.map((e) => e.id), ['a', 'b']);
    assert.ok(first.every((e) => e.attempts === 1));
    const next = await store.takeBatch(2, 1_000_000, new Set(first.map((e) => e.seq)));
    assert.deepEqual(next.map((e) => e.id), ['c']);
  });

  test('settle: acknowledged entries go and stay as records; conflicts and rejections stay', async () => {
    await pull([contact('c2', 'p1')]);
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c1', data: { participant_id: 'p1', mode: 'visit' } });
    await store.queueMutation({ entity: 'contact', op: 'update', id: 'c2', data: { summary: 'mine' }, base_version: 1 });
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c3', data: { participant_id: 'p1' } });
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c4', data: { participant_id: 'p1' } });
    await store.queueMutation({ entity: 'contact', op: 'create', id: 'c5', data: { participant_id: 'p1' } });
    const batch = await store.takeBatch(10, 1_000_000);
    const current = { ...contact('c2', 'p1', { summary: 'theirs' }).data, version: 2 };
    await store.settle(batch, [
      { mutation_id: batch[0].mutation_id, status: 'applied', id: 'c1', version: 1 },
      { mutation_id: batch[1].mutation_id, status: 'conflict', current },
      { mutation_id: batch[2].mutation_id, status: 'rejected', errors: { code: 'validation_error' } },
      // no answer for c4: it stays pending and goes again
      { mutation_id: batch[4].mutation_id, status: 'duplicate', id: 'c5', version: 1 }, // applied before
    ]);
    const items = await store.outboxItems();
    assert.deepEqual(items.map((e) => [e.id, e.status]), [['c2', 'conflict'], ['c3', 'rejected'], ['c4', 'pending']]);
    assert.deepEqual(items[0].current, current);
    const records = Object.fromEntries((await store.listRecords('contact')).map((c) => [c.id, c]));
    assert.equal(records.c1.mode, 'visit'); // kept until the next pull brings it
    assert.equal(records.c5._pending, undefined);
    assert.equal(records.c2._attention, true);
    assert.deepEqual(await store.outboxCounts(), { pending: 1, attention: 2, total: 3 });
  });

  test('resolve: mine sends again on the server version; theirs drops mine', async () => {
    await pull([contact('c1', 'p1'), contact('c2', 'p1')]);
    for (const id of ['c1', 'c2']) {
      await store.queueMutation({ entity: 'contact', op: 'update', id, data: { summary: 'mine' }, base_version: 1 });
    }
    const batch = await store.takeBatch(10, 1_000_000);
    await store.settle(batch, batch.map((e) => ({
      mutation_id: e.mutation_id, status: 'conflict', current: { ...contact(e.id, 'p1', { summary: 'theirs' }).data, version: 4 },
    })));
    await store.resolve(batch[0].seq, 'mine');
    await store.resolve(batch[1].seq, 'theirs');
    const items = await store.outboxItems();
    assert.equal(items.length, 1);
    assert.equal(items[0].status, 'pending');
    assert.equal(items[0].base_version, 4);
    assert.notEqual(items[0].mutation_id, batch[0].mutation_id);
    const c2 = await store.getRecord('contact', 'c2');
    assert.equal(c2.summary, 'theirs');
    assert.equal(c2.version, 4);
  });
});
