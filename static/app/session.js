// Who is signed in on this device, and whether their store is unlocked (SPEC §11).
// Signing in needs the network and a password; it registers the device and
// brings its escrow key, which opens the user's store (or, the first time,
// protects a new one) until they choose a PIN. After that the PIN unlocks the
// store offline: at each start, and after the app locked itself (idle, or the
// offline lease ran out: then only a password sign-in will do).
import * as accounts from './accounts.js';
import { api, ApiError, setCsrf, setDeviceId } from './api.js';
import { exists, openDb, req, run } from './idb.js';
import { pinProblem } from './rules.js';
import * as store from './store.js';
import * as vault from './vault.js';

export const MAX_PIN_TRIES = 5;
const LEGACY_STORE = 'prog-tracker-field'; // the unencrypted store of earlier versions
let account = null; // the directory entry of the current user (clear metadata)
let escrow = null; // the escrow key, between a password sign-in and the PIN that protects the store
let rewrap = null; // a new escrow key, to wrap the data key under once the PIN opens it
const listeners = new Set();

/** Drop this browser's push subscription (push.js loads only when it is needed). */
async function forgetDevice(options) {
  const push = await import('./push.js');
  return push.forgetDevice(options);
}

/** The signed-in user (null when nobody is), known even while locked. */
export function currentUser() {
  return account ? account.user : null;
}

/** The directory entry of the signed-in user (null when nobody is). */
export function currentAccount() {
  return account;
}

/** True while a user is signed in but their store is not open. */
export function isLocked() {
  return Boolean(account) && !store.isOpen();
}

/** Why the store cannot be opened with a PIN now: 'choose_pin' (after a sign-in), 'no_pin'
 * (never set, or erased after wrong tries), 'lease' (offline too long), or null. */
export function unlockBlocker() {
  if (!account) return null;
  if (escrow) return 'choose_pin';
  if (!account.pin) return 'no_pin';
  if (leaseLeftMs() <= 0) return 'lease';
  return null;
}

/** Listen to lock and unlock. */
export function onLockChange(listener) {
  listeners.add(listener);
}

/** Tell the listeners the store opened or closed. */
function lockChanged() {
  for (const listener of listeners) listener(isLocked());
}

/** Load the current user at start-up (their store stays locked). */
export async function restore() {
  const username = await accounts.getSetting('current');
  account = username ? await accounts.getAccount(username) : null;
  setDeviceId(account?.device_id || null);
  return currentUser();
}

/** Thrown when the device holds another person's unsent changes. */
export class DeviceInUse extends Error {
  constructor(owner) {
    super('device_in_use');
    this.owner = owner;
  }
}

/** Thrown when the account must finish its set-up (MFA, new password) on the website. */
export class SetupRequired extends Error {
  constructor() {
    super('setup_required');
  }
}

/** Thrown by unlock: a wrong PIN ({left} tries before the PIN is erased). */
export class WrongPin extends Error {
  constructor(left) {
    super('wrong_pin');
    this.left = left;
  }
}

/** Whose unsent changes wait on this device ({username, display_name}), other than
 * `username`'s, or null: nobody else may sign in until they are sent. */
export async function outboxOwner(username = null) {
  const key = accounts.usernameKey(username);
  const waiting = (await accounts.allAccounts()).find((a) => a.username !== key && (a.pending || a.attention));
  if (waiting) return { id: waiting.user.id, username: waiting.user.username, display_name: waiting.user.display_name };
  return legacyOwner(key);
}

/** The owner of an earlier version's unencrypted outbox, when it holds anything. */
async function legacyOwner(key) {
  if (!(await exists(LEGACY_STORE))) return null;
  const { owner, count } = await legacyOutbox();
  return count && owner && owner.username?.toLowerCase() !== key ? owner : null;
}

/** Sign in with a password (online); resolves once the store is open, or with
 * {choosePin: true} when the user must choose a PIN first (chooseNewPin). */
export async function signIn(username, password, totp) {
  const owner = await outboxOwner(username);
  if (owner) throw new DeviceInUse(owner); // checked before sending the password anywhere
  const known = await accounts.getAccount(username);
  const answer = await login(username, password, totp, known);
  if (answer.mfa_setup_required || answer.password_change_required) {
    await signOutOnServer(); // those steps happen on the website; a half-open session cannot sync
    throw new SetupRequired();
  }
  await adopt(answer, known);
  return { choosePin: Boolean(escrow) };
}

/** POST /auth/login with this device's id; a device the server revoked is wiped first
 * and the sign-in made again as a new device. */
async function login(username, password, totp, known) {
  const body = { username, password, device_label: deviceLabel() };
  if (totp) body.totp = totp;
  let deviceId = known?.device_id || crypto.randomUUID();
  for (let attempt = 0; ; attempt += 1) {
    setDeviceId(deviceId);
    try {
      return await api('POST', '/auth/login', body);
    } catch (error) {
      const stale = error instanceof ApiError && ['device_revoked', 'device_wiped', 'device_other_user'].includes(error.code);
      if (!stale || attempt > 0) throw error;
      if (known && error.code !== 'device_other_user') await eraseAccount(known, error.body?.error?.receipt_token);
      deviceId = crypto.randomUUID();
    }
  }
}

/** A short name for this browser and system ("Chrome · Android"): brand names only, which
 * read alike in every language, and no person in it. */
function deviceLabel() {
  const agent = navigator.userAgent;
  const browser = [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']]
    .find(([mark]) => agent.includes(mark))?.[1] || 'Browser';
  const system = [['Android', 'Android'], ['iPhone', 'iOS'], ['iPad', 'iPadOS'], ['Windows', 'Windows'],
    ['Mac OS', 'macOS'], ['Linux', 'Linux']].find(([mark]) => agent.includes(mark))?.[1];
  return system ? `${browser} · ${system}` : browser;
}

/** Keep a fresh sign-in: open the user's store, or prepare a new one waiting for a PIN. */
async function adopt(answer, known) {
  const key = await vault.escrowKey(answer.device.key);
  let entry = known;
  if (known && known.device_id !== answer.device.id) {
    // Its id is another user's on the server: its data cannot be sent from here.
    await store.destroyStore(known.store);
    entry = null;
  }
  let dataKey = entry?.escrow ? await vault.unwrap(entry.escrow, key).catch(() => null) : null;
  if (entry && !dataKey && entry.pin) {
    rewrap = key; // the server's key changed: the PIN opens the store and re-wraps it
  } else if (!dataKey) {
    if (entry) await store.destroyStore(entry.store); // no key left that opens it
    entry = await newAccount(answer, key);
    dataKey = await vault.unwrap(entry.escrow, key);
  }
  // Someone else's session ended here without a sign-out: their reminders must not reach this person.
  const previous = await accounts.getSetting('current');
  if (previous && previous !== entry.username) await forgetDevice({ server: false });
  account = await accounts.putAccount({
    ...entry, user: answer.user, policy: answer.device_policy, failed_pins: 0, last_online_at: new Date().toISOString(),
  });
  await accounts.setSettings({ current: account.username });
  setCsrf(answer.csrf_token);
  setDeviceId(account.device_id);
  escrow = account.pin ? null : key;
  if (dataKey && !escrow) await openWith(dataKey, answer.csrf_token);
  else lockChanged(); // the PIN comes next: a new one, or the one that re-wraps
}

/** A directory entry for a user new to this device: a new data key, wrapped by the escrow key. */
async function newAccount(answer, key) {
  const dataKey = await vault.newDataKey();
  return {
    username: answer.user.username, device_id: answer.device.id, store: store.newStoreName(),
    escrow: await vault.wrap(dataKey, key), pin: null, pending: 0, attention: 0,
    created_at: new Date().toISOString(),
  };
}

/** Open the store with the data key; bring in an earlier version's unencrypted store. */
async function openWith(dataKey, csrf) {
  store.openStore(account.store, dataKey);
  if (csrf) await store.setMeta({ csrf, auth_needed: false });
  else setCsrf(await store.getMeta('csrf'));
  await adoptLegacyStore();
  lockChanged();
}

/** The earlier version's store: this user's is encrypted into theirs; anyone else's goes. */
async function adoptLegacyStore() {
  if (!(await exists(LEGACY_STORE))) return;
  const { user } = await legacyOutbox();
  if (user && user.id === account.user.id) await store.adoptPlaintext(LEGACY_STORE);
  else await store.destroyStore(LEGACY_STORE); // records in clear, and nothing unsent (outboxOwner)
}

/** The user and outbox owner of the unencrypted store, and how many changes it holds. */
async function legacyOutbox() {
  const base = await openDb(LEGACY_STORE, 1, () => {});
  try {
    if (!base.objectStoreNames.contains('outbox')) return { user: null, owner: null, count: 0 };
    return await run(base, ['outbox', 'meta'], 'readonly', async (s) => {
      const entries = await req(s.outbox.getAll());
      const user = (await req(s.meta.get('user')))?.value || null;
      return { user, owner: entries[0]?.owner || user, count: entries.length };
    });
  } finally {
    base.close();
  }
}

/** After a sign-in: protect the store with a new PIN and open it. */
export async function chooseNewPin(pin) {
  const problem = pinProblem(pin);
  if (problem) throw new Error(problem);
  const dataKey = await vault.unwrap(account.escrow, escrow, { extractable: true });
  const salt = vault.randomBytes(16);
  const kek = await vault.pinKey(pin, salt);
  const pinBox = { ...(await vault.wrap(dataKey, kek)), salt, iterations: vault.PBKDF2_ITERATIONS };
  account = await accounts.putAccount({ ...account, pin: pinBox, failed_pins: 0 });
  const inUse = await vault.unwrap(account.escrow, escrow); // the copy kept is not extractable
  escrow = null;
  await openWith(inUse, null);
}

/** Unlock the store with the PIN (works offline); WrongPin when it is not the PIN. */
export async function unlock(pin) {
  if (unlockBlocker()) throw new Error(unlockBlocker());
  const box = account.pin;
  const kek = await vault.pinKey(pin, box.salt, box.iterations);
  let dataKey;
  try {
    dataKey = await vault.unwrap(box, kek);
  } catch {
    return wrongPin();
  }
  account = await accounts.updateAccount(account.username, { failed_pins: 0 });
  if (rewrap) await rewrapEscrow(box, kek);
  await openWith(dataKey, null);
}

/** Wrap the data key under the server's new escrow key (the old one is gone). */
async function rewrapEscrow(box, kek) {
  const movable = await vault.unwrap(box, kek, { extractable: true });
  account = await accounts.updateAccount(account.username, { escrow: await vault.wrap(movable, rewrap) });
  rewrap = null;
}

/** Count a wrong PIN; the fifth erases the PIN's wrapping of the key (the outbox stays,
 * encrypted, until a password sign-in online opens it with the escrow key). */
async function wrongPin() {
  const tries = (account.failed_pins || 0) + 1;
  const erase = tries >= MAX_PIN_TRIES;
  account = await accounts.updateAccount(account.username, { failed_pins: erase ? 0 : tries, ...(erase ? { pin: null } : {}) });
  throw new WrongPin(erase ? 0 : MAX_PIN_TRIES - tries);
}

/** Lock now: the key and everything decrypted leave memory. */
export function lock() {
  if (!account || !store.isOpen()) return;
  store.closeStore();
  lockChanged();
}

/** Time left of the offline lease (ms; Infinity before the first contact is known). */
export function leaseLeftMs(now = Date.now()) {
  const hours = account?.policy?.offline_lease_hours;
  if (!account?.last_online_at || !hours) return Infinity;
  return Date.parse(account.last_online_at) + hours * 3_600_000 - now;
}

/** The server answered: the offline lease starts again. */
export async function noteOnline() {
  if (!account) return;
  account = await accounts.updateAccount(account.username, { last_online_at: new Date().toISOString() }) || account;
}

/** Keep the outbox counts in the directory (readable before unlocking: who may sign in). */
export async function noteCounts({ pending, attention }) {
  if (!account || (account.pending === pending && account.attention === attention)) return;
  account = await accounts.updateAccount(account.username, { pending, attention }) || account;
}

/** Erase an account's store and keys from the device, and send the server the receipt. */
export async function eraseAccount(entry, receiptToken = null) {
  const unsent = (entry.pending || 0) + (entry.attention || 0);
  await store.destroyStore(entry.store);
  await accounts.deleteAccount(entry.username);
  if ((await accounts.getSetting('current')) === entry.username) await accounts.setSettings({ current: undefined });
  if (account?.username === entry.username) account = null;
  if (receiptToken) {
    await api('POST', `/devices/${entry.device_id}/wiped`, { receipt_token: receiptToken, unsent_count: unsent })
      .catch(() => {}); // the erasing is what matters; the receipt is best effort
  }
}

/** The server revoked this device: erase everything of the current user's at once. */
export async function wipeRevoked(receiptToken) {
  const entry = account;
  if (!entry) return;
  store.closeStore();
  await eraseAccount(entry, receiptToken);
  await accounts.setSettings({ wiped_notice: true });
  lockChanged();
}

/** Keep a new language setting in the signed-in user's entry; unsent: still to tell the server. */
export async function setUserLocale(code, { unsent = false } = {}) {
  if (!account) return;
  const changes = { user: { ...account.user, locale: code }, locale_unsent: unsent };
  account = await accounts.updateAccount(account.username, changes) || account;
}

/** Ask the server for a fresh CSRF token (after csrf_failed). */
export async function refreshCsrf() {
  const answer = await api('GET', '/auth/me');
  setCsrf(answer.csrf_token);
  if (store.isOpen()) await store.setMeta({ csrf: answer.csrf_token });
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

/** Sign out: the session ends and the store locks; it stays on the device, encrypted, for
 * this person's next sign-in, unless removeData (then it is erased, unsent changes too). */
export async function signOut({ removeData = false } = {}) {
  // First, while the session still says whose subscription it is: the next person to
  // sign in on a shared device must get none of these reminders. Best effort offline.
  await forgetDevice();
  await signOutOnServer();
  const entry = account;
  store.closeStore();
  escrow = null;
  rewrap = null;
  account = null;
  await accounts.setSettings({ current: undefined });
  if (entry && removeData) await eraseAccount(entry);
  setDeviceId(null);
}
