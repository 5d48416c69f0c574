// The field app's cryptography (SPEC §11), in WebCrypto only: nothing here is
// hand-made but the choice of primitives.
// - A random data key (AES-GCM 256) encrypts every record, outbox entry and
//   metadata value of a user's store (store.js). In use it is a non-extractable
//   CryptoKey held in memory only.
// - On the device it exists only wrapped: by a key derived from the user's PIN
//   (PBKDF2-SHA-256, 600,000 iterations), and by the device's escrow key, which
//   the server hands out only after a password sign-in (so 5 wrong PINs lose
//   nothing: a password sign-in online unwraps it again).

export const PBKDF2_ITERATIONS = 600_000;
const GCM = 'AES-GCM';
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Fresh random bytes. */
export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** The key-encryption key a PIN gives with this salt (never extractable). */
export async function pinKey(pin, salt, iterations = PBKDF2_ITERATIONS) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material, { name: GCM, length: 256 }, false, ['wrapKey', 'unwrapKey'],
  );
}

/** The device's escrow key, from the base64url text of the sign-in answer. */
export function escrowKey(base64url) {
  return crypto.subtle.importKey('raw', fromBase64url(base64url), { name: GCM }, false, ['wrapKey', 'unwrapKey']);
}

/** A new data key, extractable only so it can be wrapped now (see wrap/unwrap). */
export function newDataKey() {
  return crypto.subtle.generateKey({ name: GCM, length: 256 }, true, ['encrypt', 'decrypt']);
}

/** dataKey wrapped by kek: {iv, wrapped}, safe to store. */
export async function wrap(dataKey, kek) {
  const iv = randomBytes(IV_BYTES);
  const wrapped = await crypto.subtle.wrapKey('raw', dataKey, kek, { name: GCM, iv });
  return { iv, wrapped: new Uint8Array(wrapped) };
}

/** The data key from its wrapping; rejects (OperationError) when kek is the wrong key.
 * extractable only for a moment, to wrap it again under a new PIN. */
export function unwrap(box, kek, { extractable = false } = {}) {
  return crypto.subtle.unwrapKey('raw', box.wrapped, kek, { name: GCM, iv: box.iv },
    { name: GCM }, extractable, ['encrypt', 'decrypt']);
}

/** value (anything JSON can hold) encrypted: {iv, ct}. */
export async function seal(key, value) {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt({ name: GCM, iv }, key, encoder.encode(JSON.stringify(value)));
  return { iv, ct };
}

/** The value a sealed box holds. */
export async function open(key, box) {
  const plain = await crypto.subtle.decrypt({ name: GCM, iv: box.iv }, key, box.ct);
  return JSON.parse(decoder.decode(plain));
}

/** Bytes from base64url text. */
export function fromBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
