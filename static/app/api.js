// The JSON API client: the session cookie travels by itself, the CSRF token
// is sent on every change, and failures come back as one error type that
// says whether the network or the server answered.

let csrfToken = null;
let deviceId = null;

/** An API failure: status 0 means no answer at all (offline or server down). */
export class ApiError extends Error {
  constructor(status, code, message, body = null, retryAfter = null) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /** True when nothing reached the server or it could not answer (retry later). */
  get transient() {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** Remember the CSRF token to send with changes. */
export function setCsrf(token) {
  csrfToken = token || null;
}

/** The device id sent with every request (X-Device-Id, SPEC §11); null sends none. */
export function setDeviceId(id) {
  deviceId = id || null;
}

/** Call /api/v1 + path (or path itself when it starts with /api/, as pages give
 * whole URLs); resolves to the JSON body (null for 204). extraHeaders are added. */
export async function api(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (deviceId) headers['X-Device-Id'] = deviceId;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path.startsWith('/api/') ? path : `/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, 'network', error.message);
  }
  return readAnswer(response);
}

/** The body of a response, or an ApiError for anything but 2xx. */
async function readAnswer(response) {
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null; // a proxy's HTML error page, a cut connection…
  }
  if (response.ok && payload !== null) return payload;
  const error = (payload && payload.error) || {};
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  const status = response.ok ? 502 : response.status;
  throw new ApiError(status, error.code || `http_${status}`, error.message, payload, retryAfter);
}
