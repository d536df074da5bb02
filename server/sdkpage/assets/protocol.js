// The iframe protocol of knotapi-js (shared/sdk-protocol.md): the SDK posts
// {event: "init", payload} to this page; the page posts {name,
// eventProperties} messages back to window.parent.

export const embedded = window.parent !== window;

let parentOrigin = null; // learnt from the init message

function referrerOrigin() {
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/** Where messages go: the parent's origin when known, "*" otherwise. */
export function targetOrigin() {
  const origin = parentOrigin || referrerOrigin();
  return origin && origin !== "null" ? origin : "*";
}

/** Every message posted, for debugging from the console. */
export const sent = [];

/** post sends one message to the embedding page. */
export function post(name, eventProperties) {
  const message = eventProperties === undefined ? { name } : { name, eventProperties };
  sent.push(message);
  if (embedded) window.parent.postMessage(message, targetOrigin());
  else console.info("[knot sandbox] message to the SDK:", message);
}

/** knotapi-js's conversion of the UI's event names to onEvent's names. */
export function toUpperSnakeCase(input) {
  return String(input)
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^a-zA-Z0-9]+/g, "_")
    .replace(/_{2,}/g, "_")
    .replace(/^_+|_+$/g, "")
    .toUpperCase();
}

/**
 * The UI's name of an SDK event: camelCase (LOGIN_STARTED → loginStarted),
 * as the hosted UI sends it, unless knotapi-js would not turn that back
 * into the same name (a digit after an underscore, say): then the name
 * itself, which knotapi-js leaves as it is.
 */
export function uiEventName(name) {
  const camel = String(name).toLowerCase().replace(/_+([a-z0-9])/g, (_, c) => c.toUpperCase());
  return toUpperSnakeCase(camel) === name ? camel : name;
}

/** The event message for one SDK event of a flow. */
export function eventMessage(ev, product) {
  const props = {
    event: uiEventName(ev.event),
    merchant: ev.merchant,
    merchantId: ev.merchantId,
    taskId: ev.taskId ?? null,
    sessionType: product,
    metaData: { ...(ev.metaData || {}) },
  };
  if (ev.sendCard != null) props.sendCard = ev.sendCard;
  return props;
}

/**
 * waitForInit resolves with the init payload: from knotapi-js's message
 * when the page is embedded, or from the query string (sessionId,
 * clientId, merchantIds=19,45, useSearch, useCategories, entryPoint) when
 * it is opened on its own, for trying it by hand.
 */
export function waitForInit() {
  if (!embedded) {
    const q = new URLSearchParams(location.search);
    if (!q.get("sessionId")) return new Promise(() => {});
    const bool = (k) => (q.has(k) ? q.get(k) !== "false" : undefined);
    const ids = (q.get("merchantIds") || "").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
    return Promise.resolve({
      platform: "Web", sessionId: q.get("sessionId"), clientId: q.get("clientId") || "knotmock_client_id",
      merchantIds: ids.length ? ids : undefined, environment: "development", useSearch: bool("useSearch"),
      useCategories: bool("useCategories"), entryPoint: q.get("entryPoint") || undefined, mode: "ui",
    });
  }
  return new Promise((resolve) => {
    const onMessage = (e) => {
      if (e.source !== window.parent || !e.data || e.data.event !== "init") return;
      window.removeEventListener("message", onMessage);
      parentOrigin = e.origin;
      resolve(e.data.payload || {});
    };
    window.addEventListener("message", onMessage);
  });
}
