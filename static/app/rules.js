// The server's rules (followups.py status_on, attendance.py on_roll), held to
// them by tables in tests/data.

/** A YYYY-MM-DD day moved by n days. */
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const formats = {};
const format = (timeZone) => new Intl.DateTimeFormat('en', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/** A moment's date in an IANA zone (undefined: the device's; null, unknown: UTC, as on the server). */
export function localDate(moment, zone) {
  try {
    formats[zone] ??= format(zone === undefined ? zone : zone || 'UTC');
  } catch {
    formats[zone] = format('UTC');
  }
  const p = Object.fromEntries(formats[zone].formatToParts(new Date(moment)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** A follow-up's {status, metBy} on day (at its facility). */
export function followUpStatusOn(f, contacts, day) {
  const [opens, closes] = [-f.window_days, f.window_days].map((n) => addDays(f.due_on, n));
  const last = [closes, day, f.returned_on || day].sort()[0];
  let met = null;
  for (const c of contacts) {
    const date = c.occurred_at && localDate(c.occurred_at, f.timezone);
    if (c.mode === 'attempt_failed' || c.participant_id !== f.participant_id || !date
      || date < opens || date < f.released_on || date > last) continue;
    const [t, u] = [Date.parse(c.occurred_at), met && Date.parse(met.occurred_at)];
    if (!met || t < u || (t === u && c.id < met.id)) met = c; // the earliest
  }
  if (met) return { status: 'met', metBy: met.id };
  return { status: day < opens ? 'upcoming' : day <= f.due_on ? 'due' : day <= closes ? 'overdue' : 'missed', metBy: null };
}

/** The status on the device, today at the facility by default; met on the server (which
 * saw every organisation's contacts) stays met. */
export function followUpStatus(f, contacts, day = localDate(Date.now(), f.timezone)) {
  return f.status === 'met' ? 'met' : followUpStatusOn(f, contacts, day).status;
}

/** On the roll on day: given a place, not left before. */
export const onRoll = (e, day) => /^(enrolled|completed|withdrawn)$/.test(e.status) && !!e.enrolled_on && !(e.ended_on < day);

/** Why a device PIN is refused (SPEC §11), or null: at least 6 digits, not one digit
 * repeated (111111), not a run up or down (123456, 987654). */
export function pinProblem(pin) {
  if (!/^[0-9]+$/.test(pin || '')) return 'digits';
  if (pin.length < 6) return 'short';
  if (/^(.)\1+$/.test(pin)) return 'repeated';
  const steps = new Set([...pin].slice(1).map((digit, i) => (Number(digit) - Number(pin[i]) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'sequence';
  return null;
}
