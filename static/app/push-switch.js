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
  timeout: 'timeout',
};
let confirmed = false; // the server is told about an existing subscription once per page
// How long a tap waits for the browser's push service and the server before it says
// they did not answer (a push service out of reach may never answer at all).
const TIMEOUT_MS = 15000;

/** The switch. texts: {label, on, off, turningOn, turningOff, denied, unsupported,
 * offline, unavailable, notAllowed, failed, timeout, retry}; options: {keyPath} (where
 * the server's public key is), {timeoutMs}. */
export function pushSwitch(texts, options = {}) {
  const stateId = nextId('push-state');
  const parts = {
    button: h('button', { type: 'button', role: 'switch', class: 'push-switch', 'aria-checked': 'false',
      'aria-describedby': stateId },
    h('span', { class: 'push-switch-track', 'aria-hidden': 'true' }, h('span', { class: 'push-switch-thumb' })),
    h('span', { class: 'push-switch-label' }, texts.label)),
    state: h('p', { id: stateId, class: 'push-switch-state', role: 'status' }),
    problem: h('p', { class: 'flash flash-error push-switch-problem', role: 'alert', hidden: true }),
    retry: h('button', { type: 'button', class: 'button push-switch-retry', hidden: true }, texts.retry),
  };
  parts.box = h('div', { class: 'push-switch-box', 'data-state': 'loading' },
    parts.button, parts.state, parts.problem, parts.retry);
  const view = { texts, options, parts, busy: false, tries: 0, wanted: null };
  parts.button.addEventListener('click', () => toggle(view, parts.button.getAttribute('aria-checked') !== 'true'));
  parts.retry.addEventListener('click', () => toggle(view, view.wanted));
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

/** Turn reminders on (wantOn) or off after a tap; the switch says what is under way,
 * and what happened, or that nothing answered in time (with a Retry button). */
async function toggle(view, wantOn) {
  if (view.busy) return; // a permission prompt or a request is still open
  const tries = ++view.tries;
  view.wanted = wantOn;
  setBusy(view, true);
  let startClock;
  // The clock starts once permission is given: the prompt waits for the user, not the network.
  const clock = new Promise((resolve) => {
    startClock = () => setTimeout(() => resolve('timeout'), view.options.timeoutMs ?? TIMEOUT_MS);
  });
  const work = (wantOn ? turnOn({ ...view.options, onGranted: startClock }) : (startClock(), turnOff()))
    .then(() => null, (error) => error.code || 'failed');
  const problem = await Promise.race([work, clock]);
  // A late answer still shows, unless another tap came since.
  if (problem === 'timeout') work.then((late) => tries === view.tries && !view.busy && settle(view, late));
  await settle(view, problem);
}

/** Show the device's real state after a try, and the problem to explain. */
async function settle(view, problem) {
  const { state } = await pushState().catch(() => ({ state: 'off' }));
  setBusy(view, false);
  draw(view, state, problem);
}

/** Mark the switch busy (it ignores taps meanwhile, and says what it is doing). */
function setBusy(view, busy) {
  const { button, state, problem, retry } = view.parts;
  view.busy = busy;
  if (!busy) return button.removeAttribute('aria-busy');
  button.setAttribute('aria-busy', 'true');
  state.textContent = view.wanted ? view.texts.turningOn : view.texts.turningOff;
  if (document.activeElement === retry) button.focus(); // Retry hides: the focus stays near
  problem.hidden = retry.hidden = true;
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
  parts.retry.hidden = problem !== 'timeout';
}
