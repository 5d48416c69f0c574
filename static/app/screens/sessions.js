// The instructor's day: today's sessions of the cohorts they teach, with the
// attendance roll of each. A session can be planned on the device too.
import { _, compareNames, displayName, format, formatDay, today } from '../i18n.js';
import { attendance as attendanceLabels } from '../labels.js';
import { saveOnce } from '../forms.js';
import { go } from '../router.js';
import { onRoll } from '../rules.js';
import { currentUser } from '../session.js';
import * as store from '../store.js';
import { changed } from '../sync.js';
import {
  choices, comparePeople, h, link, notice, pageHead, personName, show, shownNumber, sortedName, stateBadge, textarea,
} from '../ui.js';

/** Cohorts the signed-in instructor teaches (the pull already holds only those). */
export async function myCohorts() {
  const user = currentUser();
  const cohorts = await store.listRecords('cohort');
  return cohorts.filter((c) => !Array.isArray(c.instructor_ids) || c.instructor_ids.includes(user.id))
    .sort((a, b) => compareNames(displayName(a), displayName(b)));
}

/** People on a cohort's roll on day. */
export async function rollPeople(cohortId, day) {
  const [enrolments, people] = await Promise.all([store.listRecords('enrolment'), store.listRecords('participant')]);
  const byId = new Map(people.map((p) => [p.id, p]));
  return enrolments.filter((e) => e.cohort_id === cohortId && onRoll(e, day))
    .map((e) => byId.get(e.participant_id)).filter(Boolean)
    .sort(comparePeople);
}

/** Today's sessions, and a button for running cohorts that have none yet. */
export async function sessionsScreen() {
  const day = today();
  const [cohorts, sessions, marks] = await Promise.all([myCohorts(), store.listRecords('session'), store.listRecords('attendance')]);
  const running = cohorts.filter((c) => c.start_date <= day && day <= c.end_date);
  const cards = await Promise.all(running.map(async (cohort) => {
    const todays = sessions.filter((s) => s.cohort_id === cohort.id && s.date === day);
    const people = await rollPeople(cohort.id, day);
    return h('section', { class: 'card fa-cohort' }, h('h2', {}, displayName(cohort)),
      todays.length ? todays.map((s) => sessionLine(s, people, marks)) : planButton(cohort));
  }));
  show(pageHead(_("Today's sessions")),
    h('p', { class: 'lead' }, formatDay(day)),
    cards.length ? cards : h('p', { class: 'card muted' }, _('None of your cohorts runs today.')));
}

/** One session: topic, how many are marked (and how many of those are not sent yet), and the roll button. */
function sessionLine(session, people, marks) {
  const mine = marks.filter((m) => m.session_id === session.id && people.some((p) => p.id === m.participant_id));
  const unsent = mine.filter((m) => m._pending).length;
  return h('div', { class: 'fa-session' },
    h('p', {}, session.topic || _('Session'), ' ', stateBadge(session)),
    h('p', { class: 'hint' }, format(_('%(count)s of %(total)s people marked'), { count: mine.length, total: people.length }),
      unsent ? [' ', h('span', { class: 'fa-badge fa-unsent' }, format(_('%(count)s not sent yet'), { count: unsent }))] : null),
    link(`/app/sessions/${session.id}`, _("Take today's roll"), 'button primary'));
}

/** Plan today's session on the device, then open its roll. */
function planButton(cohort) {
  const button = h('button', { type: 'button', class: 'button primary' }, _("Plan today's session"));
  const id = crypto.randomUUID(); // one per button: a double tap plans one session
  button.addEventListener('click', saveOnce(button, async () => {
    await store.queueMutation({ entity: 'session', op: 'create', id, label: displayName(cohort),
      data: { cohort_id: cohort.id, date: today(), topic: null } });
    changed();
    await go(`/app/sessions/${id}`);
  }));
  return [h('p', { class: 'muted' }, _('No session is planned today.')), button];
}

/** The attendance roll of a session: everyone starts as present. */
export async function rollScreen(sessionId) {
  const session = await store.getRecord('session', sessionId);
  const back = { href: '/app/sessions', text: _("Today's sessions") };
  if (!session) return show(pageHead(_('Attendance roll'), back), notice(_('This session is not on this device.'), 'error'));
  const cohort = await store.getRecord('cohort', session.cohort_id);
  const people = await rollPeople(session.cohort_id, session.date);
  const marks = (await store.listRecords('attendance')).filter((m) => m.session_id === sessionId);
  const lead = h('p', { class: 'lead' }, displayName(cohort), ' · ', formatDay(session.date), session.topic ? ` · ${session.topic}` : '');
  if (session.date > today()) {
    return show(pageHead(_('Attendance roll'), back), lead,
      h('p', { class: 'card' }, format(_('This session is on %(date)s. The roll can be taken from that day on.'), { date: formatDay(session.date) })));
  }
  if (!people.length) return show(pageHead(_('Attendance roll'), back), lead, h('p', { class: 'card muted' }, _('Nobody is enrolled in this cohort on this day, so there is nobody to mark. People on the waitlist join the roll once they have a place.')));
  const form = h('form', { class: 'fa-roll', novalidate: true },
    h('p', { class: 'hint' }, _('Everyone starts as present: change only those who are not, then save once for the whole roll.')),
    people.map((person) => rollRow(person, marks.find((m) => m.participant_id === person.id))),
    h('div', { class: 'fa-save-bar' }, h('button', { type: 'submit', class: 'button primary' }, _('Save the roll'))));
  const save = saveOnce(form.querySelector('[type=submit]'), () => saveRoll(form, session, people, marks, cohort));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  show(pageHead(_('Attendance roll'), back), lead, form);
}

/** One person's line of the roll. */
function rollRow(person, mark) {
  const note = textarea(`note-${person.id}`, _('Note (optional)'), { value: mark?.note || '' });
  return h('fieldset', { class: 'fa-roll-row', 'data-person': person.id },
    h('legend', {}, h('span', { class: 'fa-name' }, sortedName(person)), ' ',
      shownNumber(person) ? h('span', { class: 'fa-number' }, shownNumber(person)) : null, ' ', mark ? stateBadge(mark) : null),
    choices(`status-${person.id}`, _('Attendance'), attendanceLabels(), mark?.status || 'present'),
    h('details', { class: 'fa-note', open: Boolean(mark?.note) }, h('summary', {}, _('Add a note')), note));
}

/** Queue one attendance line per person whose mark is new or changed. */
async function saveRoll(form, session, people, marks, cohort) {
  const recordedAt = new Date().toISOString();
  let queued = 0;
  for (const person of people) {
    const status = form.querySelector(`input[name="status-${person.id}"]:checked`)?.value || 'present';
    const note = form.querySelector(`textarea[name="note-${person.id}"]`).value.trim() || null;
    const mark = marks.find((m) => m.participant_id === person.id);
    if (mark && mark.status === status && (mark.note || null) === note) continue;
    await store.queueMutation({ entity: 'attendance', op: 'create', id: mark?.id || crypto.randomUUID(),
      label: `${displayName(cohort)} · ${personName(person)}`,
      data: { session_id: session.id, participant_id: person.id, status, note, recorded_at: recordedAt } });
    queued += 1;
  }
  if (queued) changed();
  await go('/app/sessions', { flash: queued ? _('The roll is saved on this device. It is sent when there is a connection.') : _('Nothing was changed.') });
}
