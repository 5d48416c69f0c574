// IndexedDB in promises, for the device's two kinds of database: the accounts
// directory (accounts.js, clear metadata only) and each user's encrypted store
// (store.js). Nothing else in the app opens IndexedDB.

/** A request's result as a promise. */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Open (and create or upgrade with upgrade(db, oldVersion)) a database. */
export function openDb(name, version, upgrade) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const base = request.result;
      // Another tab deleting or upgrading it: let go, so that can happen.
      base.onversionchange = () => base.close();
      resolve(base);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('blocked'));
  });
}

/** Run body(stores) in one transaction of base; resolves with its result once committed.
 * body must not await anything but requests of this transaction (it would commit early). */
export async function run(base, names, mode, body) {
  const transaction = base.transaction(names, mode);
  const stores = Object.fromEntries(names.map((name) => [name, transaction.objectStore(name)]));
  const done = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('aborted'));
  });
  const result = await body(stores);
  await done;
  return result;
}

/** Delete a database; resolves once it is gone (open connections are asked to close). */
export function deleteDb(name) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => {}; // resolves once the other connections close (onversionchange)
  });
}

/** True when a database of this name exists on the device. */
export async function exists(name) {
  if (indexedDB.databases) return (await indexedDB.databases()).some((info) => info.name === name);
  // Without databases(): opening creates it at version 1 with no stores; such a one is empty.
  const base = await openDb(name, undefined, () => {});
  const found = base.objectStoreNames.length > 0;
  base.close();
  if (!found) await deleteDb(name);
  return found;
}
