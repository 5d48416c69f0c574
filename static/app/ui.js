// Small DOM helpers: build elements node by node (so no markup from
// data is ever parsed), form fields with labels, and page-level messages.
import { _, compareNames } from './i18n.js';

let uid = 0;

/** An element: h('p', {class: 'x'}, 'text', child). Attributes starting with on are listeners. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

/** Append children (strings, nodes, arrays, null) to node. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A fresh id for label/control pairs. */
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A link inside the app (the router handles the click). */
export function link(href, text, cls = '') {
  return h('a', { href, class: cls, 'data-route': true }, text);
}

/** A labelled input. */
export function input(name, label, { type = 'text', value = '', required = false, hint = '', ...rest } = {}) {
  const id = nextId(name);
  const hintId = hint ? `${id}-hint` : null;
  return h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('input', { id, name, type, value: value ?? '', required, 'aria-describedby': hintId, ...rest }));
}

/** A labelled textarea. */
export function textarea(name, label, { value = '', hint = '' } = {}) {
  const id = nextId(name);
  const area = h('textarea', { id, name, rows: '4', 'aria-describedby': hint ? `${id}-hint` : null });
  area.defaultValue = value || ''; // the value until edited, and what hasUnsavedInput compares with
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    area);
}

/** A fieldset of radio buttons (or checkboxes) drawn as big toggles. */
export function choices(name, legend, options, chosen, { multiple = false, required = false } = {}) {
  const picked = new Set([].concat(chosen ?? []));
  return h('fieldset', { class: 'fa-choices' },
    h('legend', {}, legend, required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
    h('div', { class: 'fa-toggle' }, Object.entries(options).map(([value, text]) => {
      const id = nextId(name);
      return [
        h('input', { type: multiple ? 'checkbox' : 'radio', id, name, value, checked: picked.has(value) }),
        h('label', { for: id, class: `fa-opt-${value}` }, text),
      ];
    })));
}

/** A labelled select. */
export function select(name, label, options, chosen) {
  const id = nextId(name);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name }, Object.entries(options).map(([value, text]) =>
      h('option', { value, selected: value === chosen }, text))));
}

/** A message at the top of the page; role=alert for errors so screen readers say it. */
export function notice(text, kind = 'success') {
  return h('p', { class: `flash flash-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A page heading with an optional back link. */
export function pageHead(title, back) {
  return h('div', { class: 'page-head' }, h('h1', {}, title), back ? link(back.href, back.text, 'button') : null);
}

/** A small badge saying this record has changes waiting on the device. */
export function stateBadge(record) {
  if (record._attention) return h('span', { class: 'fa-badge fa-badge-attention' }, _('Needs attention'));
  if (record._pending) return h('span', { class: 'fa-badge' }, _('Not sent yet'));
  return null;
}

let quiet = false;

/** Run draw() without moving focus or scrolling (a redraw after a sync, not a new screen). */
export async function quietly(draw) {
  quiet = true;
  try {
    await draw();
  } finally {
    quiet = false;
  }
}

/** Replace the main area with nodes; on a new screen, focus its heading for screen readers. */
export function show(...nodes) {
  const main = document.getElementById('main');
  const focused = document.activeElement;
  main.replaceChildren(...nodes.flat().filter(Boolean));
  // A redraw may keep a node (a switch in use): it keeps the focus too.
  if (quiet && focused !== document.activeElement && main.contains(focused)) focused.focus({ preventScroll: true });
  const heading = main.querySelector('h1');
  if (heading && !quiet) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

/** The values of a form: one value per name, or a list for checkbox groups. */
export function formValues(form) {
  const data = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === 'checkbox') {
      data[element.name] ??= [];
      if (element.checked) data[element.name].push(element.value);
    } else if (element.type === 'radio') {
      if (element.checked) data[element.name] = element.value;
      else data[element.name] ??= null;
    } else {
      data[element.name] = element.value;
    }
  }
  return data;
}

/** True for a person whose identity the retention schedule removed (docs/retention.md). */
export function isAnonymised(person) {
  return Boolean(person && person.anonymised_at);
}

// Bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069):
// typed into a name they make it, and the text after it, read otherwise (issue 18).
// The marks U+200E, U+200F and U+061C stay, as on the server (core/bidi.py).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** A name (or name part) as printed: without bidi controls; '' for none. */
export function printableName(value) {
  return value ? String(value).replace(BIDI_CONTROLS, '') : '';
}

/** The person's name as shown in lists: the server pages' neutral label once anonymised. */
export function personName(person) {
  if (!person) return _('Someone no longer on this device');
  if (isAnonymised(person)) return _('Anonymised record');
  return [person.given_name, person.family_name].map(printableName).filter(Boolean).join(' ');
}

/** "Family, Given" as rolls show it, or the neutral label once anonymised. */
export function sortedName(person) {
  if (isAnonymised(person)) return _('Anonymised record');
  return [person.family_name, person.given_name].map(printableName).filter(Boolean).join(', ');
}

/** The prison number, or a dash once anonymised (its number is then only its id). */
export function shownNumber(person) {
  return isAnonymised(person) ? '—' : person.prison_number || '';
}

/** People in the server lists' order: family name, given name, then id. Anonymised
 * records have no names, so they come first, together, as on the server. */
export function comparePeople(a, b) {
  const names = (p) => (isAnonymised(p) ? ['', ''] : [p.family_name, p.given_name]);
  const [[af, ag], [bf, bg]] = [names(a), names(b)];
  return compareNames(af, bf) || compareNames(ag, bg) || (a.id < b.id ? -1 : Number(a.id > b.id));
}

/** True when a form in root holds input the user typed or picked and has not saved. */
export function hasUnsavedInput(root) {
  for (const element of root.querySelectorAll('form input, form textarea, form select')) {
    if (element.type === 'checkbox' || element.type === 'radio') {
      if (element.checked !== element.defaultChecked) return true;
    } else if (element.tagName === 'SELECT') {
      if (selectChanged(element)) return true;
    } else if (element.type !== 'hidden' && element.value !== element.defaultValue) {
      return true;
    }
  }
  return false;
}

/** True when a select's choice differs from the one it was drawn with. */
function selectChanged(select) {
  const options = [...select.options];
  if (select.multiple) return options.some((option) => option.selected !== option.defaultSelected);
  // With no option marked selected, a single select starts at its first option.
  return select.selectedIndex !== Math.max(0, options.findIndex((option) => option.defaultSelected));
}
