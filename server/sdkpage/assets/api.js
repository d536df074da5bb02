// The headless SDK API (docs/scenarios.md), by root-relative URLs so the
// page works wherever it is served from: the sandbox itself, or a test
// that routes Knot's hosted UI address to the sandbox.

const BASE = "/_mock/sdk";

/** An error answer of the API: {errorCode, message} and the HTTP status. */
export class APIError extends Error {
  constructor(status, body) {
    super(body?.message || `The sandbox answered ${status}.`);
    this.status = status;
    this.errorCode = body?.errorCode || (status >= 500 ? "INTERNAL_ERROR" : "UNKNOWN_ERROR");
  }
}

/** A failure to reach the sandbox at all. */
export class NetworkError extends Error {
  constructor(cause) {
    super("The sandbox could not be reached.");
    this.errorCode = "INTERNAL_ERROR";
    this.cause = cause;
  }
}

async function call(method, path, body, { signal, keepalive } = {}) {
  let res;
  try {
    res = await fetch(BASE + path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal,
      keepalive,
    });
  } catch (err) {
    if (err?.name === "AbortError") throw err;
    throw new NetworkError(err);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    // not JSON: reported below through the status
  }
  if (!res.ok) throw new APIError(res.status, data);
  return data;
}

/** init checks the SDK's configuration and returns merchants and hints. */
export const init = (payload) => call("POST", "/init", payload);

/** startFlow opens a flow for a merchant (emits MERCHANT_CLICKED). */
export const startFlow = (body) => call("POST", "/flows", body);

export const login = (id, username, password) => call("POST", `/flows/${encodeURIComponent(id)}/login`, { username, password });

export const input = (id, body) => call("POST", `/flows/${encodeURIComponent(id)}/input`, body);

/** close ends a flow; keepalive lets it finish while the SDK removes the frame. */
export const close = (id) => call("POST", `/flows/${encodeURIComponent(id)}/close`, undefined, { keepalive: true });

/** poll long-polls for a version of the flow newer than after. */
export const poll = (id, after, signal) =>
  call("GET", `/flows/${encodeURIComponent(id)}?after=${after}&wait=25s`, undefined, { signal });
