// Translations for the field app, from the server's own catalogues.
// Strings are marked with _('…') so that Babel's JavaScript extractor finds
// them; placeholders use the server's %(name)s style so translators see one
// convention.

let messages = {};
let locale = 'en';
let dates = null; // CLDR patterns and names from the server (Intl lacks some languages)

/** Each language named in itself, for the language menu (the same names as
 * LANGUAGE_NAMES in prog_tracker/core/i18n.py; a test holds them equal). */
export const LANGUAGE_NAMES = {
  en: 'English',
  fr: 'Français',
  ar: 'العربية',
  ru: 'Русский',
  kk: 'Қазақша',
  sw: 'Kiswahili',
};

/** The translation of msgid in the current language (English when none). */
export function _(msgid) {
  return messages[msgid] || msgid;
}

/** Fill %(name)s placeholders from values. */
export function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

/** The current language code. */
export function currentLocale() {
  return locale;
}

/** The languages the server has catalogues for (from the shell's data block). */
export function availableLocales() {
  const block = document.getElementById('fa-config');
  try {
    return JSON.parse(block.textContent).locales;
  } catch {
    return ['en'];
  }
}

/** The user's setting if the app speaks it, else the browser's first language it speaks. */
export function chooseLocale(userLocale, available = availableLocales()) {
  if (userLocale && available.includes(userLocale)) return userLocale;
  for (const tag of navigator.languages || []) {
    const base = tag.toLowerCase().split('-')[0];
    if (available.includes(base)) return base;
  }
  return 'en';
}

/** Load a language's strings (the service worker serves them offline) and set lang/dir. */
export async function useLocale(code) {
  let body = { locale: 'en', dir: 'ltr', messages: {} };
  try {
    const response = await fetch(`/app/i18n/${code}.json`); // English too: its dates
    if (response.ok) body = await response.json();
  } catch {
    // Not cached and no network: stay in English rather than show nothing.
  }
  messages = body.messages;
  dates = body.dates || null;
  locale = body.locale;
  document.documentElement.lang = locale;
  document.documentElement.dir = body.dir;
}

/** A YYYY-MM-DD date as the user's language writes it (as the server pages do). */
export function formatDay(isoDay) {
  if (!isoDay) return '—';
  const [y, m, d] = isoDay.split('-').map(Number);
  return written('date', new Date(y, m - 1, d));
}

/** A timestamp as the user's language writes it, in the device's time zone. */
export function formatMoment(iso) {
  if (!iso) return '—';
  const moment = new Date(iso);
  return (dates?.datetime || '{1} {0}').replace('{1}', written('date', moment)).replace('{0}', written('time', moment));
}

/** A timestamp's time of day as the user's language writes it (device time zone). */
export function formatTime(iso) {
  return iso ? written('time', new Date(iso)) : '—';
}

/** A Date's day or time in the current language; ISO-like without its catalogue. */
function written(kind, date) {
  if (dates) return cldrDate(dates[kind], date, dates);
  return kind === 'date' ? isoDay(date) : date.toTimeString().slice(0, 5);
}

/** A Date's local time written with a CLDR pattern and a language's names ({months,
 * days, periods}, as app_catalogue ships them): the subset of Babel's patterns in use. */
export function cldrDate(pattern, date, names) {
  return pattern.replace(/'((?:[^']|'')*)'|([yMLdEcHhma])\2*/g, (token, quoted, letter) => {
    if (quoted !== undefined) return quoted.replace(/''/g, "'") || "'"; // '' is a quote
    const n = token.length;
    const num = (value) => String(value).padStart(n, '0');
    const named = (table, index) => names[table][n > 3 ? 'wide' : 'abbreviated'][index];
    const hours = date.getHours();
    switch (letter) {
      case 'y': return n === 2 ? num(date.getFullYear() % 100) : num(date.getFullYear());
      case 'M': case 'L': return n > 2 ? named('months', date.getMonth()) : num(date.getMonth() + 1);
      case 'd': return num(date.getDate());
      case 'H': return num(hours);
      case 'h': return num(hours % 12 || 12);
      case 'm': return num(date.getMinutes());
      case 'a': return names.periods[Number(hours >= 12)];
      default: return named('days', date.getDay()); // E, c
    }
  });
}

/** Today on the device, as YYYY-MM-DD. */
export function today() {
  return isoDay(new Date());
}

/** A Date's local calendar day as YYYY-MM-DD. */
export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A local day and HH:MM on the device, as a UTC timestamp. */
export function momentFrom(day, time) {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(y, m - 1, d, hh, mm).toISOString();
}

// Cyrillic (Russian and Kazakh letters) in Latin, as the server folds names
// (prog_tracker/core/text.py), so "Nurlan" finds "Нұрлан" offline too.
const CYRILLIC = {
  а: 'a', ә: 'a', б: 'b', в: 'v', г: 'g', ғ: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh',
  з: 'z', и: 'i', й: 'i', к: 'k', қ: 'k', л: 'l', м: 'm', н: 'n', ң: 'n', о: 'o',
  ө: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ұ: 'u', ү: 'u', ф: 'f', х: 'kh',
  һ: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', і: 'i', ь: '', э: 'e',
  ю: 'iu', я: 'ia',
};

/** Lower-case, accent-free text for searching names in any script (Cyrillic in Latin). */
export function fold(text) {
  const lowered = (text || '').normalize('NFC').toLowerCase();
  const latin = [...lowered].map((ch) => (ch in CYRILLIC ? CYRILLIC[ch] : ch)).join('');
  return latin.normalize('NFD').replace(/\p{Diacritic}/gu, '');
}

const collators = new Map();

/** Compare two names in the current language's alphabetical order (Kazakh ә after а…). */
export function compareNames(a, b) {
  if (!collators.has(locale)) collators.set(locale, new Intl.Collator(locale));
  return collators.get(locale).compare(a || '', b || '');
}

/** A record's name in the current language, else its default (display_name on the server). */
export function displayName(r) {
  if (!r) return '';
  return 'title' in r ? r.titles?.[locale] || r.title : r.names?.[locale] || r.name || '';
}
