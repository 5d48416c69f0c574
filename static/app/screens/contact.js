// Log a contact, or correct one: saved to the device's outbox at once and
// sent when there is a connection.
import { _, isoDay, momentFrom, today } from '../i18n.js';
import { contactModes, needs } from '../labels.js';
import { go } from '../router.js';
import * as store from '../store.js';
import { changed } from '../sync.js';
import { saveOnce, showProblems } from '../forms.js';
import { choices, formValues, h, input, pageHead, personName, show, textarea } from '../ui.js';

const SAVED = () => _('Saved on this device. It is sent when there is a connection.');

/** HH:MM of a Date on the device. */
function clock(date) {
  return date.toTimeString().slice(0, 5);
}

/** The contact's fields, filled from values (a contact record or defaults). */
export function contactFields(values = {}) {
  const when = values.occurred_at ? new Date(values.occurred_at) : new Date();
  const extra = Object.fromEntries((values.needs || []).filter((n) => !(n in needs())).map((n) => [n, n]));
  return [
    h('fieldset', { class: 'fa-pair' },
      h('legend', {}, _('When')),
      h('p', { class: 'hint' }, values.occurred_at ? _('Local time.')
        : _('Local time. It starts at now; change it when you log a contact afterwards.')),
      input('occurred_on', _('Day'), { type: 'date', value: isoDay(when), required: true, max: today() }),
      input('occurred_time', _('Time'), { type: 'time', value: clock(when), required: true })),
    choices('mode', _('How'), contactModes(), values.mode, { required: true }),
    input('location', _('Where (optional)'), { value: values.location || '', maxlength: '200',
      hint: _('For example: at home, at the job centre. No full addresses.') }),
    textarea('summary', _('What happened (optional)'), { value: values.summary || '',
      hint: _('What you talked about and what was agreed. For a failed attempt, how you tried.') }),
    choices('needs', _('Needs raised'), { ...needs(), ...extra }, values.needs || [], { multiple: true }),
  ];
}

/** The contact data in a form, or the problems ({message, field}) that stop it being saved. */
export function readContact(form) {
  const v = formValues(form);
  const problems = [];
  if (!v.occurred_on || !v.occurred_time) {
    problems.push({ message: _('Say when the contact happened.'), field: v.occurred_on ? 'occurred_time' : 'occurred_on' });
  }
  if (!v.mode) problems.push({ message: _('Choose how the contact happened.'), field: 'mode' });
  if ((v.summary || '').length > 10000) problems.push({ message: _('The summary is too long.'), field: 'summary' });
  if (problems.length) return { problems };
  const data = {
    occurred_at: momentFrom(v.occurred_on, v.occurred_time),
    mode: v.mode,
    location: v.location.trim() || null,
    summary: v.summary.trim() || null,
    needs: v.needs || [],
  };
  return { data, problems };
}

/** Only the fields that differ from before (an update carries just those). */
export function changedFields(before, after) {
  const diff = {};
  for (const [key, value] of Object.entries(after)) {
    if (!sameValue(key, before[key], value)) diff[key] = value;
  }
  return diff;
}

/** Equal values; timestamps are equal to the minute (the form shows no seconds). */
function sameValue(key, a, b) {
  if (key.endsWith('_at') && a && b) return Math.floor(Date.parse(a) / 60000) === Math.floor(Date.parse(b) / 60000);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A form page with a save handler that gets the valid data (or answers the problems). */
export function formPage(title, back, fields, saveText, onValid, lead = null) {
  const problems = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, saveText);
  const form = h('form', { class: 'card fa-form', novalidate: true }, fields,
    h('div', { class: 'actions' }, button,
      h('a', { href: back.href, class: 'button', 'data-route': true }, _('Cancel'))));
  const save = saveOnce(button, async () => {
    const problemList = await onValid(form);
    if (problemList && problemList.length) showProblems(form, problems, problemList);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  return [pageHead(title, back), lead, problems, form];
}

/** Log a new contact about a person. */
export async function newContactScreen(personId) {
  const person = await store.getRecord('participant', personId);
  const back = { href: `/app/people/${personId}`, text: _('Back to the person') };
  const id = crypto.randomUUID(); // one per form: a second save of it is the same contact
  show(formPage(_('Log a contact'), back, contactFields(), _('Save the contact'), async (form) => {
    const { data, problems } = readContact(form);
    if (problems.length) return problems;
    await store.queueMutation({ entity: 'contact', op: 'create', id,
      data: { participant_id: personId, ...data }, label: personName(person) });
    changed();
    await go(back.href, { flash: SAVED() });
    return [];
  }, h('p', { class: 'lead' }, personName(person))));
}

/** Correct a contact: the update carries the changed fields and the version it was based on. */
export async function editContactScreen(contactId) {
  const contact = await store.getRecord('contact', contactId);
  if (!contact) return go('/app/caseload', { replace: true, flash: _('This contact is not on this device.'), kind: 'error' });
  const person = await store.getRecord('participant', contact.participant_id);
  const back = { href: `/app/people/${contact.participant_id}`, text: _('Back to the person') };
  show(formPage(_('Correct a contact'), back, [
    h('p', { class: 'hint' }, _("Saving a correction keeps the current text as an earlier version, readable in the contact's history.")),
    contactFields(contact)], _('Save the correction'), async (form) => {
    const { data, problems } = readContact(form);
    if (problems.length) return problems;
    const diff = changedFields(contact, data);
    if (!Object.keys(diff).length) return [_('Nothing was changed.')];
    await store.queueMutation({ entity: 'contact', op: 'update', id: contactId, data: diff,
      base_version: contact.version ?? null, label: personName(person) });
    changed();
    await go(back.href, { flash: SAVED() });
    return [];
  }));
}
