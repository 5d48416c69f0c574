// Web Push on this device: the browser's subscription and the server's copy of it.
// Shared by the field app and the website's settings page (static/js/push-settings.js),
// so it holds no words and draws nothing: failures come back as a PushError whose
// code each caller puts in its own language.
import { api, ApiError, setCsrf } from './api.js';

const WORKER = '/sw.js';
const KEY_PATH = '/push/public-key';
const SUBSCRIPTIONS = '/push/subscriptions';
// Waiting longer than this for the worker means it failed to install (no network for its files).
const READY_TIMEOUT_MS = 20000;
// Sign-out never waits longer than this for the server on a slow connection.
const FORGET_TIMEOUT_MS = 4000;

/** Why reminders could not be switched: unsupported, denied, dismissed (the permission
 * prompt was closed), offline, unavailable (no VAPID key on the server), not_allowed
 * (the browser's push service is not on the server's list), signed_out or failed. */
export class PushError extends Error {
  constructor(code, cause = null) {
    super(code);
    this.code = code;
    this.cause = cause;
  }
}

/** True when this browser can show pushed notifications at all. */
export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
    && 'showNotification' in ServiceWorkerRegistration.prototype;
}

/** The device's state ({state: unsupported|denied|on|off, subscription}); registers nothing. */
export async function pushState() {
  if (!pushSupported()) return { state: 'unsupported', subscription: null };
  if (Notification.permission === 'denied') return { state: 'denied', subscription: null };
  const subscription = await currentSubscription();
  const on = subscription !== null && Notification.permission === 'granted';
  return { state: on ? 'on' : 'off', subscription };
}

/** The browser's subscription for this site, or null. */
async function currentSubscription() {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return registration ? registration.pushManager.getSubscription() : null;
}

/** Ask for permission (only ever after a tap), subscribe, and tell the server;
 * onGranted() is called once permission is given and the network part begins. */
export async function turnOn({ keyPath = KEY_PATH, onGranted = () => {} } = {}) {
  if (!pushSupported()) throw new PushError('unsupported');
  if (!navigator.onLine) throw new PushError('offline'); // before the prompt: it could not end well
  const permission = await askPermission();
  if (permission === 'denied') throw new PushError('denied');
  if (permission !== 'granted') throw new PushError('dismissed');
  onGranted();
  const { public_key: key } = await call('GET', keyPath);
  const subscription = await subscribe(await workerRegistration(), key);
  try {
    await call('POST', SUBSCRIPTIONS, subscription.toJSON());
  } catch (error) {
    // The server will never send to it: on here but off there would be a lie.
    await subscription.unsubscribe().catch(() => false);
    throw error;
  }
  return subscription;
}

/** Stop reminders: the server forgets this device first, then the browser drops it. */
export async function turnOff() {
  if (!pushSupported()) throw new PushError('unsupported');
  const subscription = await currentSubscription();
  if (!subscription) return;
  if (!navigator.onLine) throw new PushError('offline');
  try {
    await call('DELETE', SUBSCRIPTIONS, { endpoint: subscription.endpoint });
  } catch (error) {
    // Unreached: try again later. Refused (session ended…): the device stops anyway, and
    // the server drops the endpoint when the push service answers that it is gone.
    if (error.code === 'offline') throw error;
  }
  await subscription.unsubscribe();
}

/** Best effort, for sign-out: tell the server (if it answers soon), always drop the
 * browser's subscription, never throw. server: false when another person is signed in. */
export async function forgetDevice({ server = true } = {}) {
  if (!pushSupported()) return;
  try {
    const subscription = await currentSubscription();
    if (!subscription) return;
    if (server && navigator.onLine) {
      const told = api('DELETE', SUBSCRIPTIONS, { endpoint: subscription.endpoint }).catch(() => null);
      await Promise.race([told, delay(FORGET_TIMEOUT_MS)]);
    }
    await subscription.unsubscribe();
  } catch {
    // Nothing here may stop a sign-out.
  }
}

/** Tell the server again about this device's subscription: it may have been made while
 * someone else was signed in here, or its keys renewed. Subscriptions the server refuses
 * are dropped (PushError thrown); a missing network is not an error here. */
export async function confirmSubscription(subscription) {
  try {
    await call('POST', SUBSCRIPTIONS, subscription.toJSON());
  } catch (error) {
    if (error.code !== 'not_allowed' && error.code !== 'unavailable') return;
    await subscription.unsubscribe().catch(() => false);
    throw error;
  }
}

/** The user's answer to the permission prompt (shown only while the answer is unknown). */
function askPermission() {
  if (Notification.permission !== 'default') return Promise.resolve(Notification.permission);
  // Older Safari takes a callback instead of returning a promise.
  return new Promise((resolve) => {
    const asked = Notification.requestPermission(resolve);
    if (asked) asked.then(resolve, () => resolve('default'));
  });
}

/** The worker's registration once active (registered here when the page has none yet). */
export async function workerRegistration() {
  try {
    if (!(await navigator.serviceWorker.getRegistration('/'))) {
      await navigator.serviceWorker.register(WORKER, { scope: '/' });
    }
    const ready = await Promise.race([navigator.serviceWorker.ready, delay(READY_TIMEOUT_MS)]);
    if (ready) return ready;
  } catch (error) {
    throw new PushError(navigator.onLine ? 'failed' : 'offline', error);
  }
  throw new PushError(navigator.onLine ? 'failed' : 'offline');
}

/** Subscribe with the server's key, replacing a subscription made with another key. */
async function subscribe(registration, key) {
  const applicationServerKey = base64urlBytes(key);
  try {
    const existing = await registration.pushManager.getSubscription();
    if (existing && !sameKey(existing.options?.applicationServerKey, applicationServerKey)) {
      await existing.unsubscribe(); // the server's key changed: the old one cannot be used
    }
    return await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  } catch (error) {
    if (error?.name === 'NotAllowedError') throw new PushError('denied', error);
    // AbortError and friends: the browser's push service could not be reached.
    throw new PushError(navigator.onLine ? 'failed' : 'offline', error);
  }
}

/** True when an ArrayBuffer key (or null) holds the same bytes as a Uint8Array. */
function sameKey(buffer, bytes) {
  if (!buffer) return true; // the browser does not say: keep the subscription
  const held = new Uint8Array(buffer);
  return held.length === bytes.length && held.every((byte, index) => byte === bytes[index]);
}

/** The bytes of a base64url string. */
export function base64urlBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

/** An API call whose failures come back as PushErrors (with one retry on a stale CSRF token). */
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'csrf_failed') throw asPushError(error);
  }
  try {
    setCsrf((await api('GET', '/auth/me')).csrf_token);
    return await api(method, path, body);
  } catch (error) {
    throw asPushError(error);
  }
}

/** An API failure in the words of this module. */
function asPushError(error) {
  if (!(error instanceof ApiError)) return new PushError('failed', error);
  if (error.status === 0) return new PushError('offline', error);
  if (error.code === 'push_endpoint_not_allowed') return new PushError('not_allowed', error);
  if (error.code === 'push_not_configured') return new PushError('unavailable', error);
  if (error.status === 401) return new PushError('signed_out', error);
  return new PushError('failed', error);
}

/** A promise that resolves (to undefined) after ms. */
function delay(ms) {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}
