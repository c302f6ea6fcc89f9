// The admin API, called with the master key kept in this tab's sessionStorage (never in a URL).
const storageKey = 'oaiproxy.masterKey';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  get key() { return sessionStorage.getItem(storageKey); },
  set key(value) {
    if (value) sessionStorage.setItem(storageKey, value);
    else sessionStorage.removeItem(storageKey);
  },
};

export async function admin(path, params = {}, key = session.key) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  let response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${key}` }, cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'The proxy could not be reached. Check that it is running, then try again.');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, explain(response.status, body));
  return body;
}

function explain(status, body) {
  if (status === 401) return 'The master key was not accepted. Enter the proxy\'s master_key.';
  if (status === 404) return 'The admin API is off on this proxy: set master_key in its config.';
  return body?.error?.message ?? `The proxy answered ${status}.`;
}
