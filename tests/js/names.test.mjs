// Reference data in the reader's language on the device: displayName picks a record's
// name for the current language, falling back to the default (as display_name does on
// the server).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { answer, scriptFetch } from './helpers.mjs';
import { displayName, useLocale } from '../../static/app/i18n.js';

const realFetch = globalThis.fetch;

async function speak(code) {
  if (code !== 'en') scriptFetch([() => answer(200, { locale: code, dir: code === 'ar' ? 'rtl' : 'ltr', messages: {} })]);
  await useLocale(code);
}

describe('names in the reader\'s language', () => {
  beforeEach(() => { globalThis.document = { documentElement: {} }; });
  afterEach(() => { globalThis.fetch = realFetch; delete globalThis.document; });

  test('a skill, a cohort and a trade in Kazakh, else their default', async () => {
    const skill = { code: 'W-1', title: 'Tacks', titles: { kk: 'Қармау' } };
    const cohort = { title: 'Welding 2026', titles: {} };
    const trade = { name: 'Welding', names: { kk: 'Дәнекерлеу' } };
    await speak('kk');
    assert.deepEqual([displayName(skill), displayName(cohort), displayName(trade)], ['Қармау', 'Welding 2026', 'Дәнекерлеу']);
    await speak('fr');
    assert.deepEqual([displayName(skill), displayName(trade)], ['Tacks', 'Welding']);
  });

  test('records pulled before names per language existed show their default', async () => {
    await speak('kk');
    assert.equal(displayName({ title: 'Tacks' }), 'Tacks');
    assert.equal(displayName(null), '');
  });

});
