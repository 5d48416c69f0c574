// Who is signed in on this device. Signing in needs the network; after that
// the app works from the device store until the server says the session has
// ended (401), which pauses the outbox until the same person signs in again.
import { api, ApiError, setCsrf } from './api.js';
import { forgetDevice } from './push.js';
import * as store from './store.js';

let user = null;

/** The signed-in user (null when nobody is). */
export function currentUser() {
  return user;
}

/** Load the user kept on the device at start-up. */
export async function restore() {
  user = (await store.getMeta('user')) || null;
  setCsrf(await store.getMeta('csrf'));
  return user;
}

/** Thrown when the outbox holds another person's unsent changes. */
export class DeviceInUse extends Error {
  constructor(owner) {
    super('device_in_use');
    this.owner = owner;
  }
}

/** Who made the unsent changes on the device ({id, username, display_name}), or null. */
export async function outboxOwner() {
  const items = await store.outboxItems();
  return items.length ? items[0].owner : null;
}

/** Sign in; refuses (DeviceInUse) while another person's changes wait on the device. */
export async function signIn(username, password, totp) {
  const owner = await outboxOwner();
  if (owner && owner.username && owner.username.toLowerCase() !== username.trim().toLowerCase()) {
    throw new DeviceInUse(owner); // checked before sending the password anywhere
  }
  const body = { username, password };
  if (totp) body.totp = totp;
  const answer = await api('POST', '/auth/login', body);
  setCsrf(answer.csrf_token);
  if (owner && owner.id !== answer.user.id) {
    await signOutOnServer();
    throw new DeviceInUse(owner);
  }
  if (answer.mfa_setup_required || answer.password_change_required) {
    // Those steps happen on the website; a half-open session cannot sync.
    await signOutOnServer();
    throw new SetupRequired();
  }
  await adopt(answer);
  return answer;
}

/** Thrown when the account must finish its set-up (MFA, new password) on the website. */
export class SetupRequired extends Error {
  constructor() {
    super('setup_required');
  }
}

/** Keep a fresh sign-in: a different person than before starts from an empty store. */
async function adopt(answer) {
  const previous = await store.getMeta('user');
  if (!previous || previous.id !== answer.user.id) await store.clearRecords();
  // Someone else's session ended here without a sign-out: their reminders must not reach
  // this person. The server keeps their subscription until the push service says it is gone.
  if (previous && previous.id !== answer.user.id) await forgetDevice({ server: false });
  user = answer.user;
  setCsrf(answer.csrf_token);
  await store.setMeta({ user: answer.user, csrf: answer.csrf_token, auth_needed: false });
}

/** Keep a new language setting in the signed-in user's record on the device. */
export async function setUserLocale(code) {
  if (!user) return;
  user = { ...user, locale: code };
  await store.setMeta({ user });
}

/** Ask the server for a fresh CSRF token (after csrf_failed). */
export async function refreshCsrf() {
  const answer = await api('GET', '/auth/me');
  setCsrf(answer.csrf_token);
  await store.setMeta({ csrf: answer.csrf_token });
}

/** End the server session if it can be reached; a missing network is not an error here. */
async function signOutOnServer() {
  try {
    await api('POST', '/auth/logout', {});
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  setCsrf(null);
}

/** Sign out: the person's records and reminders leave the device; unsent changes stay for them. */
export async function signOut() {
  // First, while the session still says whose subscription it is: the next person to
  // sign in on a shared device must get none of these reminders. Best effort offline.
  await forgetDevice();
  await signOutOnServer();
  await store.clearRecords();
  user = null;
  await store.setMeta({ csrf: undefined, auth_needed: false, user: undefined, locale_unsent: undefined });
}
