// The caseworker's people and the follow-ups due, from the device store.
// Follow-up statuses are worked out on the device from the schedule and the
// contacts (including those not sent yet), so they stay right offline.
import { _, fold, format, formatDay, formatMoment } from '../i18n.js';
import { followUpStatuses, participantStatuses } from '../labels.js';
import { followUpStatus } from '../rules.js';
import * as store from '../store.js';
import { comparePeople, h, link, pageHead, personName, show, stateBadge } from '../ui.js';

const URGENCY = { overdue: 0, due: 1, upcoming: 2 };

/** Everything the caseload needs, read once. */
export async function caseloadData() {
  const [people, followUps, contacts] = await Promise.all(
    ['participant', 'follow_up', 'contact'].map((e) => store.listRecords(e)));
  const rows = people.map((person) => {
    const mine = followUps.filter((f) => f.participant_id === person.id)
      .map((f) => ({ ...f, localStatus: followUpStatus(f, contacts) }))
      .sort((a, b) => a.due_on.localeCompare(b.due_on));
    const next = mine.find((f) => f.localStatus in URGENCY) || null;
    const last = contacts.filter((c) => c.participant_id === person.id)
      .map((c) => c.occurred_at).sort().pop() || null;
    return { person, next, followUps: mine, lastContactAt: last };
  });
  return rows.sort(byUrgency);
}

/** Overdue first, then due, then the soonest next follow-up, then by name. */
function byUrgency(a, b) {
  const rank = (row) => (row.next ? URGENCY[row.next.localStatus] : 9);
  return rank(a) - rank(b) || (a.next?.due_on || '9').localeCompare(b.next?.due_on || '9')
    || comparePeople(a.person, b.person);
}

/** The caseload screen, with a search box that filters as you type. */
export async function caseloadScreen() {
  const rows = await caseloadData();
  const list = h('ul', { class: 'fa-list' });
  const search = h('input', { type: 'search', id: 'fa-search', autocomplete: 'off' });
  const draw = () => {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const shown = rows.filter((row) => words.every((w) => fold(personName(row.person)).includes(w)));
    list.replaceChildren(...shown.map(caseloadItem));
    if (!shown.length) list.append(h('li', { class: 'muted' }, rows.length ? _('Nobody matches this search.') : _('Nobody in your caseload on this device yet. Sync to fetch it.')));
  };
  search.addEventListener('input', draw);
  draw();
  show(
    pageHead(_('Caseload')),
    h('div', { class: 'field fa-search' }, h('label', { for: 'fa-search' }, _('Search by name')), search),
    list,
  );
}

/** One person in the caseload: a big link with what is due. */
function caseloadItem({ person, next, lastContactAt }) {
  const statusText = next ? followUpStatuses()[next.localStatus] : '';
  return h('li', {}, h('a', { href: `/app/people/${person.id}`, class: 'fa-row', 'data-route': true },
    h('span', { class: 'fa-row-title' }, personName(person), ' ', stateBadge(person)),
    h('span', { class: 'fa-row-meta' },
      participantStatuses()[person.status] || person.status,
      next ? [' · ', format(_('Next follow-up: %(date)s'), { date: formatDay(next.due_on) }), ' ',
        h('span', { class: `fa-fu fa-fu-${next.localStatus}` }, `(${statusText})`)] : null),
    h('span', { class: 'fa-row-meta' }, lastContactAt
      ? format(_('Last contact: %(time)s'), { time: formatMoment(lastContactAt) })
      : _('No contact yet'))));
}

/** Follow-ups due now or overdue, soonest first. */
export async function followUpsScreen() {
  const rows = await caseloadData();
  const due = rows.flatMap((row) => row.followUps.filter((f) => f.localStatus === 'due' || f.localStatus === 'overdue')
    .map((f) => ({ ...f, person: row.person })))
    .sort((a, b) => URGENCY[a.localStatus] - URGENCY[b.localStatus] || a.due_on.localeCompare(b.due_on));
  show(
    pageHead(_('Follow-ups due')),
    h('p', { class: 'hint' }, _('A follow-up is done by any contact other than a failed attempt within its window (the days around its date).')),
    due.length ? h('ul', { class: 'fa-list' }, due.map((f) => followUpItem(f)))
      : h('p', { class: 'card muted' }, _('No follow-up is due. Well done.')),
    link('/app/caseload', _('Back to the caseload'), 'button'),
  );
}

/** One follow-up ({...followUp, person}) as a link to the person; label names its status. */
export function followUpItem(f, label = followUpStatuses()[f.localStatus]) {
  return h('li', {}, h('a', { href: `/app/people/${f.person.id}`, class: 'fa-row', 'data-route': true },
    h('span', { class: 'fa-row-title' }, personName(f.person)),
    h('span', { class: 'fa-row-meta' }, h('span', { class: `fa-fu fa-fu-${f.localStatus}` }, label),
      ' · ', format(_('due %(date)s, window until %(end)s'), { date: formatDay(f.due_on), end: formatDay(f.window_closes_on) }))));
}
