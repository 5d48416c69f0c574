// Who is on a session's roll on a day: onRoll (static/app/rules.js) on the table of
// cases the server's on_roll is tested on too, and the roll screens' rollPeople,
// which reads the device's store, on the same table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';

import { wipe } from './helpers.mjs';
import { onRoll } from '../../static/app/rules.js';
import { rollPeople } from '../../static/app/screens/sessions.js';
import * as store from '../../static/app/store.js';

const TABLE = JSON.parse(readFileSync(new URL('../data/roll_cases.json', import.meta.url), 'utf8'));

describe('the roll: the shared table', () => {
  test('has enough cases, each named once', () => {
    const names = TABLE.cases.map((item) => item.name);
    assert.ok(names.length >= 15);
    assert.equal(new Set(names).size, names.length);
  });
  for (const item of TABLE.cases) {
    test(item.name, () => assert.equal(onRoll(item.enrolment, item.day), item.on_roll));
  }
});

describe('the roll on the device (rollPeople)', () => {
  beforeEach(() => wipe(store));

  test('names each case\'s person only when the table puts them on the roll', async () => {
    // Case i: cohort c-i holds one enrolment, of person p-i, as a pull brings it.
    const changes = TABLE.cases.flatMap((item, i) => [
      { entity: 'participant', id: `p-${i}`, version: 1, data: { id: `p-${i}`, given_name: `P${i}`, family_name: 'Case' } },
      { entity: 'enrolment', id: `e-${i}`, version: 1,
        data: { id: `e-${i}`, cohort_id: `c-${i}`, participant_id: `p-${i}`, ...item.enrolment } },
    ]);
    await store.applyPull({ changes, removed: [], cursor: 'c1', has_more: false }, 1);
    for (const [i, item] of TABLE.cases.entries()) {
      const people = await rollPeople(`c-${i}`, item.day);
      assert.deepEqual(people.map((p) => p.id), item.on_roll ? [`p-${i}`] : [], item.name);
    }
  });

  test('the other cohorts\' people and people not on the device are left out', async () => {
    const place = { status: 'enrolled', enrolled_on: '2025-03-01', ended_on: null };
    await store.applyPull({ changes: [
      { entity: 'participant', id: 'p-a', version: 1, data: { id: 'p-a', given_name: 'A', family_name: 'Here' } },
      { entity: 'enrolment', id: 'e-a', version: 1, data: { id: 'e-a', cohort_id: 'c-1', participant_id: 'p-a', ...place } },
      { entity: 'enrolment', id: 'e-b', version: 1, data: { id: 'e-b', cohort_id: 'c-2', participant_id: 'p-a', ...place } },
      { entity: 'enrolment', id: 'e-c', version: 1, data: { id: 'e-c', cohort_id: 'c-1', participant_id: 'p-gone', ...place } },
    ], removed: [], cursor: 'c1', has_more: false }, 1);
    assert.deepEqual((await rollPeople('c-1', '2025-03-10')).map((p) => p.id), ['p-a']);
  });
});
