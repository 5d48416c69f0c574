// Dates in the field app (static/app/i18n.js) are written from the CLDR patterns and
// names the server's catalogue ships (prog_tracker/fieldapp/catalogue.py), not with the
// browser's Intl, which lacks Kazakh month names in Chromium. The expected texts are
// Babel's (format_date "medium", format_time "short"), as on the server pages.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { answer } from './helpers.mjs';
import { cldrDate, formatDay, formatMoment, useLocale } from '../../static/app/i18n.js';

const KK = {
  date: "y\u202f'ж'. dd MMM",
  time: 'HH:mm',
  datetime: '{1}, {0}',
  months: {
    abbreviated: ['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'],
    wide: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
  },
  days: {
    abbreviated: ['жс', 'дс', 'сс', 'ср', 'бс', 'жм', 'сб'],
    wide: ['жексенбі', 'дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі'],
  },
  periods: ['AM', 'PM'],
};
const EN = {
  ...KK,
  months: { abbreviated: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'], wide: [] },
};

describe('cldrDate', () => {
  test('Kazakh medium date, as Babel writes it', () => {
    assert.equal(cldrDate(KK.date, new Date(2025, 11, 2), KK), '2025\u202fж. 02 жел.');
  });

  test('wide names, two-digit years and day names', () => {
    assert.equal(cldrDate('EEEE d MMMM yy', new Date(2025, 0, 5), KK), 'жексенбі 5 қаңтар 25');
  });

  test('12-hour clock with its period, and quoted text', () => {
    assert.equal(cldrDate('h:mm\u202fa', new Date(2025, 0, 5, 0, 7), EN), '12:07\u202fAM');
    assert.equal(cldrDate('h:mm a', new Date(2025, 0, 5, 14, 5), { ...EN, periods: ['ص', 'م'] }), '2:05 م');
    assert.equal(cldrDate("HH 'o''clock' ''", new Date(2025, 0, 5, 9), EN), "09 o'clock '");
  });

  test('numeric months and days keep their padding, with the marks between them', () => {
    assert.equal(cldrDate('dd\u200f/MM\u200f/y', new Date(2025, 11, 2), EN), '02\u200f/12\u200f/2025');
  });
});

describe('formatDay and formatMoment', () => {
  before(async () => {
    globalThis.document = { documentElement: {} };
    globalThis.fetch = async (url) => {
      assert.equal(String(url), '/app/i18n/kk.json');
      return answer(200, { locale: 'kk', dir: 'ltr', messages: {}, dates: KK });
    };
    await useLocale('kk');
  });

  test('a day and a moment in Kazakh from the catalogue', () => {
    assert.equal(formatDay('2025-12-02'), '2025\u202fж. 02 жел.');
    const moment = new Date(2025, 11, 3, 14, 5).toISOString(); // the device's zone, as the app shows it
    assert.equal(formatMoment(moment), '2025\u202fж. 03 жел., 14:05');
    assert.equal(formatDay(null), '—');
  });
});
