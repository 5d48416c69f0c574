// The language switcher in the field app's top bar, on every screen (sign-in too).
// The choice is kept on the device, so it holds offline and before anyone signs in;
// for a signed-in user it is also their language setting on the server, the one the
// website's switcher and settings page change (sent later if the device is offline).
// The app then reloads in that language; the service worker serves its strings offline.
import { api, ApiError } from './api.js';
import { _, LANGUAGE_NAMES, availableLocales, currentLocale } from './i18n.js';
import * as accounts from './accounts.js';
import { currentAccount, currentUser, isLocked, refreshCsrf, setUserLocale } from './session.js';
import { h, hasUnsavedInput, nextId } from './ui.js';

/** The language this device was switched to, if any (the user's setting comes first). */
export async function deviceLocale() {
  return (await accounts.getSetting('locale')) || null;
}

/** A form: the languages the server speaks, each named in itself, and a button. */
export function languageSwitch() {
  const id = nextId('language');
  const select = h('select', { id, name: 'locale' }, availableLocales().map((code) =>
    h('option', { value: code, lang: code, selected: code === currentLocale() }, LANGUAGE_NAMES[code] || code)));
  const form = h('form', { class: 'language-switch' },
    h('label', { for: id }, _('Language')),
    select,
    h('button', { type: 'submit', class: 'button' }, _('Change language')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    switchTo(select.value);
  });
  return form;
}

/** Keep the choice, save it for the signed-in user, and reload the app in it. */
async function switchTo(code) {
  if (code === currentLocale()) return;
  // A reload would drop a half-filled form: the user decides.
  if (hasUnsavedInput(document.getElementById('main'))
    && !window.confirm(_('Changing the language reloads the screen, and what you typed here is lost. Change anyway?'))) {
    return;
  }
  await accounts.setSettings({ locale: code });
  if (currentUser()) {
    await setUserLocale(code, { unsent: true });
    await sendLocale();
  }
  location.reload();
}

/** Save the signed-in user's language on the server if that is still to do (at start,
 * when the connection returns); a failure leaves it to do for the next time. */
export async function sendLocale() {
  const user = currentUser();
  // A locked app has no session to speak for: it goes after the unlock.
  if (!user || isLocked() || !navigator.onLine || !currentAccount().locale_unsent) return;
  try {
    await patchLocale(user.locale);
    await setUserLocale(user.locale, { unsent: false });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
}

/** PATCH /auth/me {locale}, once more with a fresh CSRF token if the old one expired. */
async function patchLocale(code) {
  try {
    await api('PATCH', '/auth/me', { locale: code });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'csrf_failed') throw error;
    await refreshCsrf();
    await api('PATCH', '/auth/me', { locale: code });
  }
}
