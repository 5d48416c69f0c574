// The instructor's skills checklist: pick a cohort and one of its
// qualification's skills, then mark each person competent or not yet.
import { _, displayName, format, formatDay, today } from '../i18n.js';
import { results } from '../labels.js';
import { saveOnce } from '../forms.js';
import { go } from '../router.js';
import * as store from '../store.js';
import { changed } from '../sync.js';
import { choices, h, notice, pageHead, personName, show, sortedName, stateBadge } from '../ui.js';
import { myCohorts, rollPeople } from './sessions.js';

/** The skills a cohort's qualification requires, in code order. */
async function cohortSkills(cohort) {
  const qualification = cohort.qualification_id ? await store.getRecord('qualification', cohort.qualification_id) : null;
  if (!qualification) return [];
  const skills = await store.listRecords('skill');
  const wanted = new Set(qualification.skill_ids || []);
  return skills.filter((s) => wanted.has(s.id)).sort((a, b) => a.code.localeCompare(b.code));
}

/** The cohorts to choose from. */
export async function skillsIndexScreen() {
  const cohorts = (await myCohorts()).filter((c) => c.qualification_id);
  show(pageHead(_('Skills checklist')),
    cohorts.length ? h('ul', { class: 'fa-list' }, cohorts.map((c) => h('li', {},
      h('a', { href: `/app/cohorts/${c.id}/skills`, class: 'fa-row', 'data-route': true },
        h('span', { class: 'fa-row-title' }, displayName(c)),
        h('span', { class: 'fa-row-meta' }, formatDay(c.start_date), ' – ', formatDay(c.end_date))))))
      : h('p', { class: 'card muted' }, _('None of your cohorts leads to a qualification with skills to assess.')));
}

/** The latest result of each (person, skill) in a cohort. */
async function latestResults(cohortId) {
  const all = (await store.listRecords('assessment')).filter((a) => a.cohort_id === cohortId)
    .sort((a, b) => `${a.assessed_on}${a.created_at || ''}`.localeCompare(`${b.assessed_on}${b.created_at || ''}`));
  const latest = new Map();
  for (const a of all) latest.set(`${a.participant_id}|${a.skill_id}`, a);
  return latest;
}

/** One cohort's checklist for one skill (the first skill when none is chosen). */
export async function skillsScreen(cohortId, skillId) {
  const cohort = await store.getRecord('cohort', cohortId);
  const back = { href: '/app/skills', text: _('Skills checklist') };
  if (!cohort) return show(pageHead(_('Skills checklist'), back), notice(_('This cohort is not on this device.'), 'error'));
  const skills = await cohortSkills(cohort);
  const skill = skills.find((s) => s.id === skillId) || skills[0];
  if (!skill) return show(pageHead(displayName(cohort), back), h('p', { class: 'card muted' }, _('This qualification lists no skills.')));
  const people = await rollPeople(cohort.id, today());
  const latest = await latestResults(cohort.id);
  show(pageHead(displayName(cohort), back), skillPicker(cohort, skills, skill), checklist(cohort, skill, people, latest));
}

/** Links to each skill, the current one marked. */
function skillPicker(cohort, skills, current) {
  return h('nav', { class: 'fa-skill-picker', 'aria-label': _('Skills') }, h('ul', { class: 'fa-chips' },
    skills.map((s) => h('li', {}, h('a', {
      href: `/app/cohorts/${cohort.id}/skills/${s.id}`, 'data-route': true, class: 'button',
      'aria-current': s.id === current.id ? 'page' : null,
    }, `${s.code} · ${displayName(s)}`)))));
}

/** The form: one line per person with the latest result and the new mark. */
function checklist(cohort, skill, people, latest) {
  if (!people.length) return h('p', { class: 'card muted' }, _('Nobody is enrolled in this cohort now.'));
  const form = h('form', { class: 'fa-roll', novalidate: true },
    h('h2', {}, format(_('Skill: %(skill)s'), { skill: `${skill.code} · ${displayName(skill)}` })),
    people.map((person) => {
      const last = latest.get(`${person.id}|${skill.id}`);
      return h('fieldset', { class: 'fa-roll-row' },
        h('legend', {}, h('span', { class: 'fa-name' }, sortedName(person)), ' ', last ? stateBadge(last) : null),
        h('p', { class: 'hint' }, last ? format(_('Last assessed on %(date)s: %(result)s'), { date: formatDay(last.assessed_on), result: results()[last.result] }) : _('Not assessed yet')),
        choices(`result-${person.id}`, _('Result'), results(), last?.result));
    }),
    h('div', { class: 'fa-save-bar' }, h('button', { type: 'submit', class: 'button primary' }, _('Save the assessments'))));
  // One id per person per form: saving it twice (a double tap) is the same assessment.
  const ids = new Map(people.map((person) => [person.id, crypto.randomUUID()]));
  const save = saveOnce(form.querySelector('[type=submit]'), () => saveResults(form, { cohort, skill, people, latest, ids }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  return form;
}

/** Queue an assessment for each person whose result is new or changed. */
async function saveResults(form, { cohort, skill, people, latest, ids }) {
  let queued = 0;
  for (const person of people) {
    const result = form.querySelector(`input[name="result-${person.id}"]:checked`)?.value;
    const last = latest.get(`${person.id}|${skill.id}`);
    if (!result || (last && last.result === result)) continue;
    await store.queueMutation({ entity: 'assessment', op: 'create', id: ids.get(person.id),
      label: `${skill.code} · ${personName(person)}`,
      data: { participant_id: person.id, skill_id: skill.id, cohort_id: cohort.id, result, assessed_on: today(), note: null } });
    queued += 1;
  }
  if (queued) changed();
  await go(`/app/cohorts/${cohort.id}/skills/${skill.id}`, { replace: true,
    flash: queued ? _('Saved on this device. It is sent when there is a connection.') : _('Nothing was changed.') });
}
