// When the app locks itself (SPEC §11): after DEVICE_IDLE_LOCK_MINUTES without a
// touch or a key, and when the offline lease runs out; and, at start-up, whether
// the server revoked this device (then its data is erased before anything shows).
import { api, ApiError } from './api.js';
import { currentAccount, isLocked, leaseLeftMs, lock, wipeRevoked } from './session.js';

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'];
const CHECK_EVERY_MS = 15_000;
const DEVICE_CHECK_MS = 4_000;
let lastActivity = Date.now();

/** Watch for idleness and the lease; onLocked(reason) after the app locked itself. */
export function startLocking(onLocked) {
  for (const type of ACTIVITY) {
    window.addEventListener(type, () => { lastActivity = Date.now(); }, { capture: true, passive: true });
  }
  const check = () => {
    const reason = lockReason();
    if (!reason) return;
    lock();
    onLocked(reason);
  };
  setInterval(check, CHECK_EVERY_MS);
  // Back from another app or a sleeping screen: decide at once, before anyone reads it.
  document.addEventListener('visibilitychange', check);
  window.addEventListener('pageshow', check);
}

/** 'idle' or 'lease' when the unlocked app must lock now, else null. */
function lockReason() {
  const account = currentAccount();
  if (!account || isLocked()) return null;
  const minutes = account.policy?.idle_lock_minutes ?? 5;
  if (Date.now() - lastActivity >= minutes * 60_000) return 'idle';
  if (leaseLeftMs() <= 0) return 'lease';
  return null;
}

/** The app was just unlocked: idleness counts from now. */
export function markActive() {
  lastActivity = Date.now();
}

/** Ask the server whether this device was revoked (no session needed; a few seconds at
 * most: offline, the app goes on). True when it was, and the data is now erased. */
export async function checkDevice() {
  if (!currentAccount() || !navigator.onLine) return false;
  let timer = null;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), DEVICE_CHECK_MS); });
  const asked = api('GET', '/sync/device').then(() => null, (error) => error);
  const error = await Promise.race([asked, late]);
  clearTimeout(timer);
  if (!(error instanceof ApiError) || error.code !== 'device_revoked') return false;
  await wipeRevoked(error.body?.error?.receipt_token);
  return true;
}
