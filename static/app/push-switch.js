// The Notifications switch: one button (role=switch) that subscribes this device to
// reminders or stops them, and says why when it cannot. The field app and the
// website's settings page both draw it, each with its own words.
import { confirmSubscription, pushState, turnOff, turnOn } from './push.js';
import { h, nextId } from './ui.js';

// A PushError code -> the key of its text (dismissed says nothing: the user chose).
const PROBLEMS = {
  unsupported: 'unsupported',
  denied: 'denied',
  offline: 'offline',
  unavailable: 'unavailable',
  not_allowed: 'notAllowed',
  signed_out: 'failed',
  failed: 'failed',
};
let confirmed = false; // the server is told about an existing subscription once per page

/** The switch. texts: {label, on, off, denied, unsupported, offline, unavailable,
 * notAllowed, failed}; options: {keyPath} (where the server's public key is). */
export function pushSwitch(texts, options = {}) {
  const stateId = nextId('push-state');
  const parts = {
    button: h('button', { type: 'button', role: 'switch', class: 'push-switch', 'aria-checked': 'false',
      'aria-describedby': stateId },
    h('span', { class: 'push-switch-track', 'aria-hidden': 'true' }, h('span', { class: 'push-switch-thumb' })),
    h('span', { class: 'push-switch-label' }, texts.label)),
    state: h('p', { id: stateId, class: 'push-switch-state', role: 'status' }),
    problem: h('p', { class: 'flash flash-error push-switch-problem', role: 'alert', hidden: true }),
  };
  parts.box = h('div', { class: 'push-switch-box', 'data-state': 'loading' }, parts.button, parts.state, parts.problem);
  const view = { texts, options, parts, busy: false };
  parts.button.addEventListener('click', () => toggle(view));
  load(view);
  return parts.box;
}

/** Show the device's state; confirm an existing subscription with the server once. */
async function load(view) {
  let found;
  try {
    found = await pushState();
  } catch {
    found = { state: 'unsupported', subscription: null }; // a browser that refuses workers here
  }
  const { state, subscription } = found;
  draw(view, state);
  if (state !== 'on' || confirmed || !navigator.onLine) return;
  confirmed = true;
  try {
    await confirmSubscription(subscription);
  } catch (error) {
    draw(view, 'off', error.code);
  }
}

/** Turn reminders on or off after a tap; the switch says what happened. */
async function toggle(view) {
  if (view.busy) return; // a permission prompt or a request is still open
  const { button } = view.parts;
  const wasOn = button.getAttribute('aria-checked') === 'true';
  setBusy(view, true);
  let problem = null;
  try {
    if (wasOn) await turnOff();
    else await turnOn(view.options);
  } catch (error) {
    problem = error.code || 'failed';
  }
  const { state } = await pushState().catch(() => ({ state: 'off' }));
  setBusy(view, false);
  draw(view, state, problem);
}

/** Mark the switch busy (it ignores taps meanwhile, and says so to screen readers). */
function setBusy(view, busy) {
  view.busy = busy;
  if (busy) view.parts.button.setAttribute('aria-busy', 'true');
  else view.parts.button.removeAttribute('aria-busy');
}

/** Draw a state (unsupported, denied, on, off) and the problem to explain, if any. */
function draw(view, state, problem = null) {
  const { texts, parts } = view;
  const on = state === 'on';
  parts.button.setAttribute('aria-checked', String(on));
  parts.button.disabled = state === 'unsupported';
  parts.box.dataset.state = state; // for styles and tests
  const stateText = state === 'unsupported' ? texts.unsupported : (on ? texts.on : texts.off);
  if (parts.state.textContent !== stateText) parts.state.textContent = stateText;
  // Blocked in the browser: the way out is in its settings, so it stays in view.
  const shown = PROBLEMS[problem] || (state === 'denied' ? 'denied' : null);
  parts.problem.textContent = shown && shown !== 'unsupported' ? texts[shown] : '';
  parts.problem.hidden = !parts.problem.textContent;
}
