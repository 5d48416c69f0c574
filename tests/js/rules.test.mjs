// The field app's rules (static/app/rules.js): the follow-up status on the table
// of cases the server's rule is tested on too, and what the device adds to it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { addDays, followUpStatus, followUpStatusOn, localDate } from '../../static/app/rules.js';

const TABLE = JSON.parse(readFileSync(new URL('../data/follow_up_status_cases.json', import.meta.url), 'utf8'));

/** A case's follow-up as a pull brings it: its own fields, its episode's days and its zone. */
function pulled(item) {
  return {
    ...item.follow_up,
    released_on: item.episode.released_on,
    returned_on: item.episode.returned_on,
    timezone: item.timezone,
  };
}

describe('follow-up status: the shared table', () => {
  test('has enough cases', () => assert.ok(TABLE.cases.length >= 25));
  for (const item of TABLE.cases) {
    test(item.name, () => {
      const { status, metBy } = followUpStatusOn(pulled(item), item.contacts, item.day);
      assert.deepEqual({ status, met_by_contact_id: metBy }, item.expected);
    });
  }
});

describe('follow-up status on the device', () => {
  const base = TABLE.cases[0];

  test('a follow-up the server found met stays met (it saw other organisations\' contacts)', () => {
    assert.equal(followUpStatus({ ...pulled(base), status: 'met' }, [], '2025-04-10'), 'met');
  });

  test('otherwise it is the rule on the device\'s contacts', () => {
    const contacts = [{ id: 'c', participant_id: 'p-1', mode: 'visit', occurred_at: '2025-03-30T09:00:00Z' }];
    assert.equal(followUpStatus({ ...pulled(base), status: 'due' }, contacts, '2025-04-03'), 'met');
    assert.equal(followUpStatus({ ...pulled(base), status: 'due' }, [], '2025-04-03'), 'overdue');
  });

  test('by default it is judged on today at the facility', () => {
    // Kiritimati (UTC+14) is always a day ahead of Pago Pago (UTC−11).
    const due = { ...pulled(base), due_on: localDate(Date.now(), 'Pacific/Kiritimati'), window_days: 0, status: 'due' };
    assert.equal(followUpStatus({ ...due, timezone: 'Pacific/Kiritimati' }, []), 'due');
    assert.equal(followUpStatus({ ...due, timezone: 'Pacific/Pago_Pago' }, []), 'upcoming');
  });

  test('a record pulled before the server sent the episode and zone: the window alone, the device\'s zone', () => {
    const old = { participant_id: 'p-1', offset_days: 7, due_on: '2025-03-10', window_days: 10, status: 'due' };
    const noon = (day) => [{ id: 'c', participant_id: 'p-1', mode: 'visit', occurred_at: `${day}T12:00:00Z` }];
    assert.equal(followUpStatusOn(old, noon('2025-03-01'), '2025-03-05').status, 'met');
    assert.equal(followUpStatusOn(old, noon('2025-03-06'), '2025-03-05').status, 'due');
  });
});

describe('days', () => {
  test('addDays crosses months, years and leap days', () => {
    assert.equal(addDays('2025-03-31', 1), '2025-04-01');
    assert.equal(addDays('2025-01-01', -1), '2024-12-31');
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2025-02-28', 1), '2025-03-01');
    assert.equal(addDays('2025-03-30', 365), '2026-03-30');
  });

  test('localDate is the date in the zone; null and unknown zones are UTC', () => {
    assert.equal(localDate('2025-03-25T19:30:00Z', 'Asia/Almaty'), '2025-03-26');
    assert.equal(localDate('2025-03-25T19:30:00.123456Z', 'UTC'), '2025-03-25');
    assert.equal(localDate('2025-04-10T02:00:00Z', 'America/Sao_Paulo'), '2025-04-09');
    assert.equal(localDate('2025-03-25T23:30:00Z', null), '2025-03-25');
    assert.equal(localDate('2025-03-25T23:30:00Z', 'Nowhere/Atlantis'), '2025-03-25');
  });

  test('localDate with no zone is the device\'s', () => {
    const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const moment of ['2025-03-25T19:30:00Z', '2025-03-25T04:30:00Z']) {
      assert.equal(localDate(moment, undefined), localDate(moment, device));
    }
  });
});
