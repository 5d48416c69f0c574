// What the screens' forms share: the problems that stop a save, shown as the website
// shows them (a summary that takes the focus and scrolls into view, so a phone shows
// it too; each problem a link to its field; the message beside the field), and a save
// button that stays disabled while its save runs, so a double tap saves once.
import { _ } from './i18n.js';
import { h, nextId } from './ui.js';

/** Show problems ({message, field} or plain text) above a form and move the focus to them. */
export function showProblems(form, place, problems) {
  clearProblems(form);
  const summary = h('div', { class: 'flash flash-error fa-problems', role: 'alert', tabindex: '-1' },
    h('p', {}, _('Please check these details:')),
    h('ul', {}, problems.map((p) => h('li', {}, typeof p === 'string' ? p : markField(form, p)))));
  place.replaceChildren(summary);
  summary.scrollIntoView({ block: 'start' });
  summary.focus({ preventScroll: true });
}

/** Put a problem's message beside its field; the link to the field for the summary. */
function markField(form, { message, field }) {
  const controls = [...form.querySelectorAll('input, select, textarea')].filter((c) => c.name === field);
  if (!controls.length) return message;
  const box = controls[0].closest('fieldset, .field');
  const id = nextId('problem');
  box.classList.add('has-error');
  box.insertBefore(h('p', { class: 'error', id, 'data-problem': true }, message),
    box.querySelector(':scope > .fa-toggle, :scope > input, :scope > select, :scope > textarea'));
  for (const node of box.tagName === 'FIELDSET' ? [box, ...controls] : controls) describe(node, id);
  for (const control of controls) control.setAttribute('aria-invalid', 'true');
  const target = controls.find((c) => c.checked) || controls[0];
  return h('a', { href: `#${target.id}`, onclick: (event) => {
    event.preventDefault(); // a #fragment would make the router draw the screen again
    target.focus({ preventScroll: true });
    (target.closest('fieldset, .field') || target).scrollIntoView({ block: 'center' });
  } }, message);
}

/** Add an id to a node's aria-describedby. */
function describe(node, id) {
  node.setAttribute('aria-describedby', [node.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

/** Take away the marks of earlier problems. */
function clearProblems(form) {
  for (const message of form.querySelectorAll('[data-problem]')) {
    message.closest('.has-error')?.classList.remove('has-error');
    for (const node of form.querySelectorAll(`[aria-describedby~="${message.id}"]`)) {
      const rest = node.getAttribute('aria-describedby').split(' ').filter((t) => t !== message.id);
      if (rest.length) node.setAttribute('aria-describedby', rest.join(' '));
      else node.removeAttribute('aria-describedby');
    }
    message.remove();
  }
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

/** Run save() once at a time from button: disabled and marked busy meanwhile. Returns a
 * handler; taps while a save runs are ignored. */
export function saveOnce(button, save) {
  let running = false;
  return async (...args) => {
    if (running) return;
    running = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await save(...args);
    } finally {
      running = false;
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  };
}
