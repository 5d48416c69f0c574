// Records as screens see them: the server's copies, unsent changes laid over.

// Attendance is one line per (session, person): a new mark replaces the old one.
export const lineOf = (entity, data) =>
  (entity === 'attendance' ? `${data.session_id}|${data.participant_id}` : data.id);

/** Server rows plus outbox entries -> the records a screen shows. */
export function overlay(entity, rows, entries) {
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
