// Sign-in: needs the network, asks for a two-step code when the account has
// one, and refuses while another person's unsent changes are on the device.
import * as accounts from '../accounts.js';
import { ApiError } from '../api.js';
import { _, format } from '../i18n.js';
import { DeviceInUse, SetupRequired, currentUser, outboxOwner, signIn } from '../session.js';
import { showProblems } from '../forms.js';
import { formValues, h, input, notice, printableName, show } from '../ui.js';

/** Draw the sign-in form. */
export async function signInScreen(onSignedIn) {
  const owner = await outboxOwner();
  // Unlocking with the password: the name is known (unless another person signs in).
  const known = new URLSearchParams(location.search).has('other') ? '' : currentUser()?.username;
  const wiped = await accounts.getSetting('wiped_notice');
  if (wiped) await accounts.setSettings({ wiped_notice: undefined });
  const problems = h('div'); // what it holds is role=alert
  const totp = input('totp', _('Six-digit code'), { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*' });
  totp.hidden = true;
  const button = h('button', { type: 'submit', class: 'button primary' }, _('Sign in'));
  const form = h('form', { class: 'card fa-signin', novalidate: true },
    input('username', _('Username'), { required: true, autocomplete: 'username', autocapitalize: 'none', value: owner?.username || known || '' }),
    input('password', _('Password'), { type: 'password', required: true, autocomplete: 'current-password' }),
    totp,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, { problems, totp, button }, onSignedIn);
  });
  show(
    h('div', { class: 'page-head' }, h('h1', {}, _('Sign in'))),
    h('p', { class: 'lead' }, _('Sign in once with a connection; the app then works without one.')),
    wiped ? notice(_('This device was removed from your account, so your data on it was erased. Sign in to start again.'), 'warning') : null,
    owner ? notice(ownerMessage(owner), 'warning') : null,
    navigator.onLine ? null : notice(_('Signing in needs a connection. Try again when you are online.'), 'error'),
    problems,
    form,
  );
}

/** Whose changes wait on the device, and what that means. */
function ownerMessage(owner) {
  return format(_('This device holds changes by %(name)s that are not sent yet. Only %(name)s can sign in here until they are sent or resolved.'),
    { name: printableName(owner.display_name) || owner.username || _('another person') });
}

/** Send the form; explain every way it can fail. */
async function submit(form, { problems, totp, button }, onSignedIn) {
  const values = formValues(form);
  if (!values.username.trim() || !values.password) {
    const field = values.username.trim() ? 'password' : 'username';
    showProblems(form, problems, [{ message: _('Enter your username and password.'), field }]);
    return;
  }
  button.disabled = true;
  try {
    const result = await signIn(values.username.trim(), values.password, values.totp || null);
    await onSignedIn(result);
  } catch (error) {
    problems.replaceChildren(notice(explain(error, totp), 'error'));
  } finally {
    button.disabled = false;
  }
}

/** A sentence for a failed sign-in. */
function explain(error, totp) {
  if (error instanceof DeviceInUse) return ownerMessage(error.owner);
  if (error instanceof SetupRequired) {
    return _('Your account needs a step on the website first (a new password or two-step sign-in). Open the website, then come back.');
  }
  if (!(error instanceof ApiError)) throw error;
  if (error.code === 'mfa_required') {
    totp.hidden = false;
    totp.querySelector('input').focus();
    return _('Enter the current code from your authenticator app.');
  }
  if (error.status === 0) return _('Signing in needs a connection. Try again when you are online.');
  if (error.code === 'rate_limited') return _('Too many attempts; try again later.');
  return error.message || _('Wrong username or password.');
}
