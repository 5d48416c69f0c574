// The settings page's Notifications switch (templates/notifications/_settings.html):
// the field app's switch, in the page's own words, since the website has no
// JavaScript catalogue. The element names its texts in data-text-* attributes.
import { api, setCsrf } from '/static/app/api.js';
import { pushSwitch } from '/static/app/push-switch.js';

// The switch's text keys -> the data-* attributes holding them (dataset names).
const TEXTS = {
  label: 'textLabel',
  on: 'textOn',
  off: 'textOff',
  denied: 'textDenied',
  unsupported: 'textUnsupported',
  offline: 'textOffline',
  unavailable: 'textUnavailable',
  notAllowed: 'textNotAllowed',
  failed: 'textFailed',
  turningOn: 'textTurningOn',
  turningOff: 'textTurningOff',
  timeout: 'textTimeout',
  retry: 'textRetry',
};

/** The element's texts; a missing one falls back to the closest one given. */
function textsOf(element) {
  const texts = Object.fromEntries(Object.entries(TEXTS).map(([key, name]) => [key, element.dataset[name] || '']));
  texts.failed ||= texts.unavailable;
  texts.timeout ||= texts.failed;
  return texts;
}

/** Send changes with this session's CSRF token: the page's meta tag, else the API's. */
async function useCsrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta?.content) {
    setCsrf(meta.content);
    return;
  }
  try {
    setCsrf((await api('GET', '/auth/me')).csrf_token);
  } catch {
    // Offline or signed out: the switch says so when tapped (turning it needs the server).
  }
}

/** Draw a switch in every [data-push-switch] element of the page. */
async function start() {
  const places = [...document.querySelectorAll('[data-push-switch]')];
  if (!places.length) return;
  await useCsrf();
  for (const place of places) {
    const keyPath = place.dataset.publicKeyUrl || undefined;
    const timeoutMs = Number(place.dataset.timeoutMs) || undefined;
    place.replaceChildren(pushSwitch(textsOf(place), { keyPath, timeoutMs }));
  }
}

start();
