// The caseworker's card of one person: what is due, the contacts and the
// outcomes on the device, and the buttons to log more.
import { _, format, formatDay, formatMoment, LANGUAGE_NAMES } from '../i18n.js';
import { contactModes, employment, followUpStatuses, housing, needs, participantStatuses, planKinds, planStatuses } from '../labels.js';
import { followUpStatus } from '../rules.js';
import * as store from '../store.js';
import { h, isAnonymised, link, pageHead, personName, show, stateBadge } from '../ui.js';

/** Records about one person, read once. */
async function personData(personId) {
  const [person, followUps, contacts, outcomes, planItems] = await Promise.all([
    store.getRecord('participant', personId),
    ...['follow_up', 'contact', 'outcome', 'release_plan_item'].map((e) => store.listRecords(e)),
  ]);
  const about = (r) => r.participant_id === personId;
  return {
    person,
    followUps: followUps.filter(about).sort((a, b) => a.due_on.localeCompare(b.due_on))
      .map((f) => ({ ...f, localStatus: followUpStatus(f, contacts) })),
    contacts: contacts.filter(about).sort((a, b) => b.occurred_at.localeCompare(a.occurred_at)),
    outcomes: outcomes.filter(about).sort((a, b) => b.observed_on.localeCompare(a.observed_on)),
    planItems: planItems.filter(about).sort((a, b) => (a.due_date || '9').localeCompare(b.due_date || '9')),
  };
}

/** The card. */
export async function personScreen(personId) {
  const data = await personData(personId);
  const back = { href: '/app/caseload', text: _('Back to the caseload') };
  if (!data.person) {
    show(pageHead(_('Person not on this device'), back),
      h('p', { class: 'card' }, _('This person is not (or no longer) in your caseload on this device.')));
    return;
  }
  const { person } = data;
  show(
    pageHead(personName(person), back),
    h('dl', { class: 'details card' },
      h('dt', {}, _('Status')), h('dd', {}, participantStatuses()[person.status] || person.status),
      releaseDetails(person),
      person.preferred_language ? [h('dt', {}, _('Preferred language')), h('dd', {}, LANGUAGE_NAMES[person.preferred_language] || person.preferred_language)] : null),
    // An anonymised record takes no new records: the server would refuse them.
    isAnonymised(person) ? null : h('div', { class: 'actions fa-actions' },
      link(`/app/people/${person.id}/contact`, _('Log a contact'), 'button primary'),
      link(`/app/people/${person.id}/outcome`, _('Record an outcome'), 'button')),
    // The same person on the website (a page load, not an app screen: it needs the network).
    h('p', {}, h('a', { href: `/aftercare/participants/${person.id}`, class: 'fa-website-link' }, _('Open on the website'))),
    person.status === 'in_custody' ? planSection(data.planItems) : null,
    followUpSection(data.followUps),
    contactSection(data.contacts),
    outcomeSection(data.outcomes),
  );
}

/** Before release, the date expected; after, the date it happened. */
function releaseDetails(person) {
  if (person.status === 'in_custody') {
    return [h('dt', {}, _('Expected release')), h('dd', {}, formatDay(person.expected_release_date))];
  }
  return [h('dt', {}, _('Released on')), h('dd', {}, formatDay(person.actual_release_date))];
}

/** The release plan: what is still to do before the person leaves (a reminder links here). */
function planSection(items) {
  const kinds = planKinds();
  const statuses = planStatuses();
  return h('section', { class: 'card', 'aria-labelledby': 'fa-plan-title' },
    h('h2', { id: 'fa-plan-title' }, _('Release plan')),
    items.length ? h('ul', { class: 'plain' }, items.map((item) => h('li', {},
      h('strong', {}, kinds[item.kind] || item.kind), ' · ', statuses[item.status] || item.status,
      item.due_date ? [' · ', format(_('Due on %(date)s'), { date: formatDay(item.due_date) })] : null, ' ', stateBadge(item))))
      : h('p', { class: 'muted' }, _('This person has no release plan items.')));
}

/** The follow-up schedule with each status. */
function followUpSection(followUps) {
  return h('section', { class: 'card', 'aria-labelledby': 'fa-fu-title' },
    h('h2', { id: 'fa-fu-title' }, _('Follow-ups')),
    followUps.length ? h('ul', { class: 'plain' }, followUps.map((f) => h('li', {},
      formatDay(f.due_on), ' · ', h('span', { class: `fa-fu fa-fu-${f.localStatus}` }, followUpStatuses()[f.localStatus]))))
      : h('p', { class: 'muted' }, _('No follow-ups are scheduled. They are planned when the person is released.')));
}

/** Contacts, newest first, each with a Correct button. */
function contactSection(contacts) {
  const modes = contactModes();
  const needLabels = needs();
  return h('section', { class: 'card', 'aria-labelledby': 'fa-contacts-title' },
    h('h2', { id: 'fa-contacts-title' }, _('Contacts')),
    contacts.length ? h('ul', { class: 'fa-entries' }, contacts.map((c) => h('li', { class: 'fa-entry' },
      h('p', { class: 'fa-entry-head' }, h('strong', {}, modes[c.mode] || c.mode), ' · ', formatMoment(c.occurred_at), ' ', stateBadge(c)),
      c.location ? h('p', {}, c.location) : null,
      c.summary ? h('p', { class: 'prose' }, c.summary) : null,
      (c.needs || []).length ? h('p', { class: 'hint' }, format(_('Needs raised: %(needs)s'),
        { needs: c.needs.map((n) => needLabels[n] || n).join(', ') })) : null,
      link(`/app/contacts/${c.id}/edit`, _('Correct'), 'button fa-small'))))
      : h('p', { class: 'muted' }, _('No contact yet')));
}

/** Outcomes, newest first. */
function outcomeSection(outcomes) {
  const work = employment();
  const home = housing();
  return h('section', { class: 'card', 'aria-labelledby': 'fa-outcomes-title' },
    h('h2', { id: 'fa-outcomes-title' }, _('Outcomes')),
    outcomes.length ? h('ul', { class: 'fa-entries' }, outcomes.map((o) => h('li', { class: 'fa-entry' },
      h('p', { class: 'fa-entry-head' }, h('strong', {}, formatDay(o.observed_on)), ' ', stateBadge(o)),
      h('p', {}, work[o.employment] || o.employment, ' · ', home[o.housing] || o.housing),
      o.returned_to_custody ? h('p', {}, _('Returned to custody')) : null,
      o.note ? h('p', { class: 'prose' }, o.note) : null)))
      : h('p', { class: 'muted' }, _('No outcome is recorded yet.')));
}
