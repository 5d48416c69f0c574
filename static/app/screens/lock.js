// The lock screens (SPEC §11): choose a PIN after a first sign-in on a device,
// unlock with it (offline too), and say plainly when only a password sign-in
// will do (the PIN was erased after wrong tries, or the offline lease ran out).
import { _, format } from '../i18n.js';
import { showProblems } from '../forms.js';
import { pinProblem } from '../rules.js';
import { MAX_PIN_TRIES, WrongPin, chooseNewPin, currentAccount, unlock, unlockBlocker } from '../session.js';
import { formValues, h, input, link, notice, printableName, show } from '../ui.js';

const PIN_FIELD = { type: 'password', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off', required: true };

/** The messages for pinProblem's answers. */
function pinMessage(problem) {
  return {
    digits: _('Use digits only.'),
    short: _('Use at least 6 digits.'),
    repeated: _('Do not use one digit over and over.'),
    sequence: _('Do not use a run of digits like 123456.'),
  }[problem];
}

/** Who is signed in, as the lock screen names them. */
function whoText() {
  const user = currentAccount().user;
  return format(_('Signed in as %(name)s.'), { name: printableName(user.display_name) || user.username });
}

/** The screen the locked app shows, by what unlocking needs now. */
export function lockScreen(onOpen) {
  const blocker = unlockBlocker();
  if (blocker === 'choose_pin') return choosePinScreen(onOpen);
  if (blocker) return passwordNeededScreen(blocker);
  return unlockScreen(onOpen);
}

/** Enter the PIN. */
function unlockScreen(onOpen, message = null) {
  const problems = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, _('Unlock'));
  const form = h('form', { class: 'card fa-lock', novalidate: true },
    input('pin', _('PIN'), PIN_FIELD),
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { pin } = formValues(form);
    if (!pin) return showProblems(form, problems, [{ message: _('Enter your PIN.'), field: 'pin' }]);
    button.disabled = true;
    button.textContent = _('Unlocking…');
    try {
      await unlock(pin);
      await onOpen();
    } catch (error) {
      if (error instanceof WrongPin && !error.left) return passwordNeededScreen('erased');
      if (unlockBlocker()) return passwordNeededScreen(unlockBlocker()); // the lease ran out meanwhile
      if (!(error instanceof WrongPin)) throw error;
      unlockScreen(onOpen, format(_('Wrong PIN. %(count)s tries left before the PIN is erased.'), { count: error.left }));
    }
  });
  show(h('div', { class: 'page-head' }, h('h1', {}, _('Unlock'))),
    h('p', { class: 'lead' }, whoText(), ' ', _('Your records on this device are locked.')),
    message ? notice(message, 'error') : null,
    problems, form, otherWays());
  form.querySelector('input').focus(); // the keyboard opens: a PIN is all this screen asks
}

/** The other ways in: a password sign-in, or another person's. */
function otherWays() {
  return h('p', { class: 'fa-lock-other' },
    link('/app/signin', _('Sign in with your password instead')), ' · ',
    link('/app/signin?other=1', _('Sign in as someone else')));
}

/** The PIN cannot open the store: say why, and what to do. */
function passwordNeededScreen(reason) {
  const hours = currentAccount().policy?.offline_lease_hours;
  const why = {
    erased: format(_('%(count)s wrong PINs: the PIN is erased from this device.'), { count: MAX_PIN_TRIES }),
    no_pin: _('This device has no PIN for you yet, or it was erased after wrong tries.'),
    lease: format(_('This device has not reached the server for %(hours)s hours, so it is locked until you sign in.'), { hours }),
  }[reason];
  show(h('div', { class: 'page-head' }, h('h1', {}, _('Sign in to unlock'))),
    h('p', { class: 'lead' }, whoText()),
    notice(why, 'warning'),
    h('p', {}, _('Your unsent changes stay on this device, encrypted. Sign in with your password (this needs a connection) to see your records again.')),
    h('div', { class: 'actions' }, link('/app/signin', _('Sign in with your password'), 'button primary')),
    h('p', { class: 'fa-lock-other' }, link('/app/signin?other=1', _('Sign in as someone else'))));
}

/** Choose the PIN that protects this person's records on this device. */
export function choosePinScreen(onOpen) {
  const problems = h('div');
  const button = h('button', { type: 'submit', class: 'button primary' }, _('Save the PIN'));
  const form = h('form', { class: 'card fa-lock', novalidate: true },
    input('pin', _('PIN'), { ...PIN_FIELD, hint: _('At least 6 digits; not one digit over and over, and not a run like 123456.') }),
    input('repeat', _('The same PIN again'), PIN_FIELD),
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { pin, repeat } = formValues(form);
    const problem = pinProblem(pin);
    if (problem) return showProblems(form, problems, [{ message: pinMessage(problem), field: 'pin' }]);
    if (pin !== repeat) return showProblems(form, problems, [{ message: _('The two PINs are not the same.'), field: 'repeat' }]);
    button.disabled = true;
    button.textContent = _('Saving…');
    await chooseNewPin(pin);
    await onOpen();
  });
  show(h('div', { class: 'page-head' }, h('h1', {}, _('Choose a PIN for this device'))),
    h('p', { class: 'lead' }, _('Your records on this device are encrypted. The PIN unlocks them, also without a connection; it never leaves this device.')),
    h('p', {}, format(_('After %(count)s wrong PINs it is erased, and only a sign-in with your password opens your records again.'), { count: MAX_PIN_TRIES })),
    problems, form);
}
