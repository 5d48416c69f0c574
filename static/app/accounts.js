// The accounts directory: which people use this device, in clear, so the app
// can draw the lock screen and apply the device's rules before any store is
// unlocked. It names staff, never a participant (SPEC §11): username, display
// name, role, the wrapped keys, counts and times. The device-wide choices (the
// language before sign-in, who is signed in) live here too.
import { deleteDb, openDb, req, run } from './idb.js';

const DB_NAME = 'prog-tracker-device';
let opening = null;

/** The open directory (created on first use). */
function db() {
  opening ??= openDb(DB_NAME, 1, (base) => {
    base.createObjectStore('accounts', { keyPath: 'username' });
    base.createObjectStore('device', { keyPath: 'key' });
  }).catch((error) => {
    opening = null;
    throw error;
  });
  return opening;
}

/** The directory's key for a username (usernames are matched without case). */
export function usernameKey(username) {
  return String(username || '').trim().toLowerCase();
}

/** One account of this device, or null. */
export async function getAccount(username) {
  return (await run(await db(), ['accounts'], 'readonly', (s) => req(s.accounts.get(usernameKey(username))))) || null;
}

/** Every account of this device. */
export async function allAccounts() {
  return run(await db(), ['accounts'], 'readonly', (s) => req(s.accounts.getAll()));
}

/** Save an account (its username is its key). */
export async function putAccount(account) {
  const row = { ...account, username: usernameKey(account.username) };
  await run(await db(), ['accounts'], 'readwrite', (s) => req(s.accounts.put(row)));
  return row;
}

/** Change some fields of an account; returns it (null when it is gone). */
export async function updateAccount(username, changes) {
  return run(await db(), ['accounts'], 'readwrite', async (s) => {
    const row = await req(s.accounts.get(usernameKey(username)));
    if (!row) return null;
    Object.assign(row, changes);
    s.accounts.put(row);
    return row;
  });
}

/** Forget an account (its store is deleted by the caller). */
export async function deleteAccount(username) {
  await run(await db(), ['accounts'], 'readwrite', (s) => req(s.accounts.delete(usernameKey(username))));
}

/** A device-wide value (undefined when unset). */
export async function getSetting(key) {
  const row = await run(await db(), ['device'], 'readonly', (s) => req(s.device.get(key)));
  return row ? row.value : undefined;
}

/** Set device-wide values ({key: value}; undefined deletes). */
export async function setSettings(values) {
  await run(await db(), ['device'], 'readwrite', async (s) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) s.device.delete(key);
      else s.device.put({ key, value });
    }
  });
}

/** Close and delete the whole directory (tests). */
export async function destroyDirectory() {
  if (opening) (await opening).close();
  opening = null;
  await deleteDb(DB_NAME);
}
