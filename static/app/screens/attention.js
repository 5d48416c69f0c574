// Changes the server did not take: conflicts (someone changed the record
// too) and rejections. Nothing is dropped without the user's say: they see
// both versions and keep theirs, keep the server's, or edit and send again.
import { _, format, formatDay, formatMoment } from '../i18n.js';
import * as labels from '../labels.js';
import { go } from '../router.js';
import * as store from '../store.js';
import { changed } from '../sync.js';
import { h, link, notice, pageHead, show } from '../ui.js';
import { changedFields, contactFields, formPage, readContact } from './contact.js';
import { outcomeFields, readOutcome } from './outcome.js';

const FORMS = {
  contact: { fields: contactFields, read: readContact },
  outcome: { fields: outcomeFields, read: readOutcome },
};
const HIDDEN_FIELDS = new Set(['id', 'version', 'created_at', 'updated_at', 'participant_id', 'session_id',
  'cohort_id', 'skill_id', 'organisation_id', 'caseworker_id', 'recorded_by_id', 'assessor_id', 'edited_by_id']);

/** A title for an entry's state. */
function stateTitle(entry) {
  if (entry.errors?.code === 'out_of_scope') return _('No longer in your caseload');
  if (entry.status === 'conflict') return _('Changed on the server too');
  if (entry.status === 'rejected') return _('Not accepted by the server');
  return _('Waiting to send');
}

/** "Contact · Name" for an entry. */
function describe(entry) {
  return [labels.entities()[entry.entity] || entry.entity, entry.label].filter(Boolean).join(' · ');
}

/** The list of everything in the outbox, decisions first. */
export async function attentionScreen() {
  const items = await store.outboxItems();
  const decide = items.filter((e) => e.status !== 'pending');
  const waiting = items.filter((e) => e.status === 'pending');
  const row = (e) => h('li', {}, h('a', { href: `/app/attention/${e.seq}`, class: 'fa-row', 'data-route': true },
    h('span', { class: 'fa-row-title' }, describe(e)),
    h('span', { class: 'fa-row-meta' }, stateTitle(e), ' · ', formatMoment(e.created_at))));
  show(pageHead(_('Changes to check')),
    h('h2', {}, _('Needs your decision')),
    decide.length ? h('ul', { class: 'fa-list' }, decide.map(row)) : h('p', { class: 'muted' }, _('Nothing needs your decision.')),
    h('h2', {}, _('Waiting to send')),
    waiting.length ? h('ul', { class: 'fa-list' }, waiting.map(row)) : h('p', { class: 'muted' }, _('Everything is sent')));
}

/** One value as the user reads it. */
function shown(key, value) {
  if (value === null || value === undefined || value === '') return '—';
  const tables = { mode: labels.contactModes(), employment: labels.employment(), housing: labels.housing(),
    result: labels.results(), status: { ...labels.attendance(), ...labels.participantStatuses() } };
  if (Array.isArray(value)) return value.map((v) => labels.needs()[v] || v).join(', ') || '—';
  if (typeof value === 'boolean') return value ? _('Yes') : _('No');
  if (tables[key]) return tables[key][value] || String(value);
  if (key.endsWith('_at')) return formatMoment(value);
  if (key.endsWith('_on') || key === 'date') return formatDay(value);
  return String(value);
}

/** Mine against the server's, for the fields I changed (the others keep the server's
 * values whichever version is kept); rows that differ are marked. */
function comparison(entry) {
  const theirs = entry.current;
  const keys = Object.keys(entry.data).filter((k) => !HIDDEN_FIELDS.has(k));
  const names = labels.fieldNames();
  const differs = (k) => theirs && JSON.stringify(entry.data[k] ?? null) !== JSON.stringify(theirs[k] ?? null);
  return [
    h('table', { class: 'fa-compare' }, h('caption', {}, _('Both versions')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, _('Field')), h('th', { scope: 'col' }, _('Yours')),
        theirs ? h('th', { scope: 'col' }, _('On the server')) : null)),
      h('tbody', {}, keys.map((k) => h('tr', { class: differs(k) ? 'fa-differs' : '' },
        h('th', { scope: 'row' }, names[k] || k),
        h('td', {}, shown(k, entry.data[k])),
        theirs ? h('td', {}, shown(k, theirs[k])) : null)))),
    entry.op === 'update' ? h('p', { class: 'hint' }, _('Only the fields you changed are shown; the others keep the values on the server.')) : null,
  ];
}

/** The server's reasons, as sentences. */
function reasons(entry) {
  const errors = entry.errors;
  if (!errors) return null;
  if (errors.code === 'out_of_scope') {
    return notice(_('This person is no longer in your caseload (consent withdrawn or referral closed), so this change cannot be sent. Keep a note of it elsewhere if you need it, then discard it.'), 'error');
  }
  const lines = [errors.message, ...Object.entries(errors.fields || {}).map(([field, msgs]) =>
    `${labels.fieldNames()[field] || field}: ${[].concat(msgs).join(' ')}`)].filter(Boolean);
  return h('div', { class: 'flash flash-error', role: 'alert' }, h('ul', {}, (lines.length ? lines : [errors.code || _('Not accepted by the server')]).map((l) => h('li', {}, l))));
}

/** One entry with the choices it allows. */
export async function attentionItemScreen(seq) {
  const entry = await store.outboxItem(seq);
  const back = { href: '/app/attention', text: _('Changes to check') };
  if (!entry) return go('/app/attention', { replace: true, flash: _('This change is no longer waiting.') });
  const buttons = h('div', { class: 'actions' });
  const decide = async (choice, message) => {
    await store.resolve(entry.seq, choice);
    changed();
    go('/app/attention', { flash: message });
  };
  if (entry.status === 'conflict') {
    buttons.append(
      h('button', { type: 'button', class: 'button primary', onclick: () => decide('mine', _('Your version will be sent again.')) }, _('Keep mine and send again')),
      h('button', { type: 'button', class: 'button', onclick: () => decide('theirs', _("The server's version is kept; yours is discarded.")) }, _("Keep the server's version")));
  }
  if (entry.status !== 'pending' && FORMS[entry.entity] && entry.errors?.code !== 'out_of_scope') {
    buttons.append(link(`/app/attention/${entry.seq}/edit`, _('Edit and send again'), 'button'));
  }
  if (entry.status === 'rejected') buttons.append(discardButton(() => decide('discard', _('Your change was discarded.'))));
  show(pageHead(stateTitle(entry), back), h('p', { class: 'lead' }, describe(entry)),
    entry.status === 'conflict' ? h('p', {}, _('Someone changed this record on the server after you loaded it. Nothing was overwritten: choose which version to keep.')) : null,
    reasons(entry), comparison(entry), buttons);
}

/** A discard button that asks once more before throwing the user's work away. */
function discardButton(onConfirm) {
  const confirm = h('button', { type: 'button', class: 'button danger', hidden: true, onclick: onConfirm }, _('Yes, discard my change'));
  const ask = h('button', { type: 'button', class: 'button danger', onclick: () => {
    ask.hidden = true;
    confirm.hidden = false;
    confirm.focus();
  } }, _('Discard my change'));
  return [ask, confirm];
}

/** Edit a refused change in its form, then send it again under a new mutation id. */
export async function attentionEditScreen(seq) {
  const entry = await store.outboxItem(seq);
  const form = entry && FORMS[entry.entity];
  if (!form) return go('/app/attention', { replace: true });
  const base = entry.current || {};
  const values = { ...base, ...entry.data };
  const back = { href: `/app/attention/${entry.seq}`, text: _('Back') };
  show(formPage(_('Edit and send again'), back, form.fields(values), _('Send again'), async (element) => {
    const { data, problems } = form.read(element);
    if (problems.length) return problems;
    const send = entry.op === 'create' ? { ...entry.data, ...data } : changedFields(base, data);
    // An edit back to the server's values leaves nothing to send: that is keeping theirs.
    const nothing = entry.op !== 'create' && !Object.keys(send).length;
    await store.resolve(entry.seq, nothing ? 'theirs' : 'edit', send);
    changed();
    await go('/app/attention', { flash: format(_('%(what)s will be sent again.'), { what: describe(entry) }) });
    return [];
  }, h('p', { class: 'lead' }, describe(entry))));
}
