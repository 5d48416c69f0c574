// Reminders worked out on the device from its synced records, so that nothing
// depends on notifications alone: they show offline, on a device without push,
// and for someone who switched notifications off. The rules are the server's
// (notifications/reminders.py): follow-ups overdue or due tomorrow (and today, a
// reminder sent yesterday may have been missed), and releases in the next 30 days
// with release plan items still open. The Notifications switch lives here too.
import { _, format, formatDay, today } from '../i18n.js';
import { planKinds } from '../labels.js';
import { pushSwitch } from '../push-switch.js';
import { addDays, localDate } from '../rules.js';
import * as store from '../store.js';
import { h, pageHead, personName, show } from '../ui.js';
import { caseloadData, followUpItem } from './caseload.js';

const RELEASE_DAYS = 30;
const OPEN_PLAN = new Set(['todo', 'in_progress']);

/** The reminders due on day (follow-ups: at their facility), each soonest first. */
export async function reminders(day = today()) {
  const [rows, planItems] = await Promise.all([caseloadData(), store.listRecords('release_plan_item')]);
  // Follow-ups matter while the person is out: back in custody, nobody can visit.
  const followUps = rows.filter((row) => row.person.status === 'released')
    .flatMap((row) => row.followUps.map((f) => ({ ...f, person: row.person, today: localDate(Date.now(), f.timezone) })))
    .sort((a, b) => a.due_on.localeCompare(b.due_on));
  return {
    overdue: followUps.filter((f) => f.localStatus === 'overdue'),
    dueSoon: followUps.filter((f) => (f.localStatus === 'due' || f.localStatus === 'upcoming')
      && [f.today, addDays(f.today, 1)].includes(f.due_on)),
    releases: releasesAhead(rows.map((row) => row.person), planItems, day),
  };
}

/** People in custody released within RELEASE_DAYS of day, with their open plan items. */
function releasesAhead(people, planItems, day) {
  const last = addDays(day, RELEASE_DAYS);
  return people
    .filter((p) => p.status === 'in_custody' && p.expected_release_date
      && p.expected_release_date >= day && p.expected_release_date <= last)
    .map((person) => ({
      person,
      open: planItems.filter((item) => item.participant_id === person.id && OPEN_PLAN.has(item.status)),
    }))
    .filter((release) => release.open.length)
    .sort((a, b) => a.person.expected_release_date.localeCompare(b.person.expected_release_date));
}

/** The Reminders screen. */
export async function remindersScreen() {
  const found = await reminders();
  const none = !found.overdue.length && !found.dueSoon.length && !found.releases.length;
  show(
    pageHead(_('Reminders')),
    h('p', { class: 'hint' }, _('Worked out on this device from your synced records, so they show without a connection too.')),
    none ? h('p', { class: 'card muted' }, _('Nothing to remind you of right now.')) : null,
    section('fa-rem-overdue', _('Overdue follow-ups'), found.overdue.map((f) => followUpItem(f))),
    section('fa-rem-soon', _('Follow-ups due today or tomorrow'), found.dueSoon.map((f) =>
      followUpItem(f, f.due_on === f.today ? _('Due today') : _('Due tomorrow')))),
    section('fa-rem-releases', format(_('Releases in the next %(days)s days'), { days: RELEASE_DAYS }),
      found.releases.map(releaseItem)),
    notificationsSection(),
  );
}

/** A titled list, left out when it has no entries. */
function section(id, title, items) {
  if (!items.length) return null;
  return h('section', { 'aria-labelledby': id },
    h('h2', { id }, title),
    h('ul', { class: 'fa-list' }, items));
}

/** A release ahead: the date and the plan items still open, linking to the person. */
function releaseItem({ person, open }) {
  const kinds = planKinds();
  return h('li', {}, h('a', { href: `/app/people/${person.id}`, class: 'fa-row', 'data-route': true },
    h('span', { class: 'fa-row-title' }, personName(person)),
    h('span', { class: 'fa-row-meta' }, format(_('Expected release: %(date)s'), { date: formatDay(person.expected_release_date) })),
    h('span', { class: 'fa-row-meta' }, format(_('Release plan items still open: %(count)s'), { count: open.length }),
      ' · ', open.map((item) => kinds[item.kind] || item.kind).join(', '))));
}

let shownSection = null;

/** The Notifications section; a redraw after a sync keeps the one on screen, since a
 * permission prompt or a request of its switch may be under way. */
function notificationsSection() {
  if (!shownSection?.isConnected) shownSection = newNotificationsSection();
  return shownSection;
}

/** The Notifications switch, with the settings page's words. */
function newNotificationsSection() {
  return h('section', { class: 'card', 'aria-labelledby': 'fa-rem-push' },
    h('h2', { id: 'fa-rem-push' }, _('Notifications')),
    h('p', {}, _("Reminders arrive on this device even when the app is closed. They never show a person's name.")),
    pushSwitch({
      label: _('Reminders on this device'),
      on: _('On: reminders arrive on this device.'),
      off: _('Off: no reminders on this device.'),
      denied: _('Notifications are blocked for this site. Allow them in your browser’s site settings, then try again.'),
      unsupported: _('This browser cannot receive notifications.'),
      offline: _('Turning notifications on or off needs a connection.'),
      unavailable: _('Notifications are not set up on this server.'),
      notAllowed: _('This browser’s push service is not allowed on this server.'),
      failed: _('That did not work. Please try again.'),
      turningOn: _('Turning reminders on…'),
      turningOff: _('Turning reminders off…'),
      timeout: _('The push service did not answer in time. Check the connection, then try again.'),
      retry: _('Try again'),
    }, { timeoutMs: appConfig().push_timeout_ms }));
}

/** The shell's settings block (the push switch's patience comes from the server). */
function appConfig() {
  try {
    return JSON.parse(document.getElementById('fa-config').textContent);
  } catch {
    return {};
  }
}
