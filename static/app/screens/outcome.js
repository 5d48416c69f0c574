// Record an outcome (work, housing, return to custody) seen at a follow-up.
import { _, today } from '../i18n.js';
import { employment, housing } from '../labels.js';
import { go } from '../router.js';
import * as store from '../store.js';
import { changed } from '../sync.js';
import { choices, formValues, h, input, personName, show, textarea } from '../ui.js';
import { formPage } from './contact.js';

const EMPLOYED = ['employed_formal', 'employed_informal', 'self_employed'];

/** The outcome's fields, filled from values. */
export function outcomeFields(values = {}) {
  const skill = values.uses_trained_skill === true ? 'yes' : values.uses_trained_skill === false ? 'no' : 'unknown';
  const skillBox = choices('uses_trained_skill', _('Does the work use the skill learnt in the workshop?'),
    { yes: _('Yes'), no: _('No'), unknown: _('Not known') }, skill);
  const work = choices('employment', _('Work'), employment(), values.employment, { required: true });
  // The skill question only makes sense for someone in work.
  const sync = () => { skillBox.hidden = !EMPLOYED.includes(formValues(work).employment); };
  work.addEventListener('change', sync);
  sync();
  const returned = h('div', { class: 'field check' },
    h('input', { type: 'checkbox', id: 'fa-returned', name: 'returned_to_custody', value: 'yes', checked: values.returned_to_custody === true }),
    h('label', { for: 'fa-returned' }, _('Returned to custody')));
  return [
    input('observed_on', _('Observed on'), { type: 'date', value: values.observed_on || today(), required: true, max: today() }),
    work, skillBox,
    choices('housing', _('Housing'), housing(), values.housing, { required: true }),
    returned,
    textarea('note', _('Note (optional)'), { value: values.note || '' }),
  ];
}

/** The outcome in a form, or the problems ({message, field}) that stop it being saved. */
export function readOutcome(form) {
  const v = formValues(form);
  const problems = [];
  if (!v.observed_on) problems.push({ message: _('Say on which day you saw this.'), field: 'observed_on' });
  if (!v.employment) problems.push({ message: _('Choose the work situation.'), field: 'employment' });
  if (!v.housing) problems.push({ message: _('Choose the housing situation.'), field: 'housing' });
  if (problems.length) return { problems };
  const employed = EMPLOYED.includes(v.employment);
  const data = {
    observed_on: v.observed_on,
    employment: v.employment,
    uses_trained_skill: employed && v.uses_trained_skill !== 'unknown' ? v.uses_trained_skill === 'yes' : null,
    housing: v.housing,
    returned_to_custody: v.returned_to_custody.includes('yes'),
    note: v.note.trim() || null,
  };
  return { data, problems };
}

/** Record a new outcome about a person. */
export async function newOutcomeScreen(personId) {
  const person = await store.getRecord('participant', personId);
  const back = { href: `/app/people/${personId}`, text: _('Back to the person') };
  const id = crypto.randomUUID(); // one per form: a second save of it is the same outcome
  show(formPage(_('Record an outcome'), back, outcomeFields(), _('Save the outcome'), async (form) => {
    const { data, problems } = readOutcome(form);
    if (problems.length) return problems;
    await store.queueMutation({ entity: 'outcome', op: 'create', id,
      data: { participant_id: personId, ...data }, label: personName(person) });
    changed();
    await go(back.href, { flash: _('Saved on this device. It is sent when there is a connection.') });
    return [];
  }, h('p', { class: 'lead' }, personName(person))));
}
