// The sandbox's SDK page: knotapi-js's init message in, the headless SDK
// API for the flow, knotapi-js's messages out. Each SDK event of the flow
// is posted once, in order; later events (after delays, or
// REFRESH_SESSION_REQUEST) come from a long poll.

import * as api from "./api.js";
import { h } from "./dom.js";
import { embedded, eventMessage, post, sent, waitForInit } from "./protocol.js";
import * as screens from "./screens.js";

const initReceived = waitForInit(); // listens at once: the SDK posts init on the frame's load

const $ = (id) => document.getElementById(id);

const app = {
  config: null, // the SDK's init payload
  info: null, // POST /_mock/sdk/init's answer
  flow: null, // the latest flow state
  seq: 0, // the last SDK event posted
  shownKey: null, // what the screen shows, to redraw only on change
  drawn: 0, // how many flow states were drawn
  force: false, // redraw the next state even if it looks the same
  screen: null,
  poller: null,
  closed: false,
  successPosted: false,
  errorPosted: false,
  username: "",
};
window.knotSandbox = { app, sent }; // for debugging from the console

// --- screens -------------------------------------------------------------

function announce(text) {
  const p = $("progress");
  p.textContent = "";
  setTimeout(() => { p.textContent = text; }, 30);
}

function show(screen, { back = false, login = false, hints = true } = {}) {
  app.screen = screen;
  const host = $("screen");
  host.replaceChildren(screen.node);
  host.setAttribute("aria-busy", "false");
  $("back").hidden = !back;
  renderHints(login ? screen : null, hints);
  if (screen.focus) focusSoon(screen.focus);
}

// focusSoon focuses el, or does once the frame is shown: knotapi-js keeps
// its iframe hidden until loadingFinished, and nothing in a hidden frame
// can take focus.
function focusSoon(el) {
  el.focus();
  if (document.activeElement === el) return;
  const retry = () => {
    if (el.isConnected && app.screen?.focus === el && document.activeElement !== el) el.focus();
  };
  window.addEventListener("resize", retry, { once: true });
  setTimeout(retry, 150);
}

// The test credentials of the session's product, good logins first, shown
// on every screen but the merchant list; on the login form they fill it.
function renderHints(loginScreen, visible) {
  const rank = (hint) => (hint.username.startsWith("user_good") ? 0 : 1) + (/^pass_good/.test(hint.password) ? 0 : 1);
  const hints = [...(app.info?.hints || [])].sort((a, b) => rank(a) - rank(b));
  $("hints").hidden = !visible || hints.length === 0;
  $("hint-list").replaceChildren(...hints.map((hint) => {
    const outcome = hint.outcome.replace(` (${hint.username} / ${hint.password})`, "");
    const creds = [h("code", {}, hint.username), " / ", h("code", {}, hint.password)];
    const body = [h("span", { class: "hint-creds" }, creds), h("span", { class: "hint-outcome" }, outcome)];
    return h("li", {}, loginScreen
      ? h("button", {
        type: "button", class: "hint", "aria-label": `Use ${hint.username} / ${hint.password}: ${outcome}`,
        onclick: () => loginScreen.fill(hint.username, hint.password),
      }, body)
      : h("div", { class: "hint" }, body));
  }));
}

const multipleMerchants = () => (app.info?.merchants?.length || 0) > 1 && app.config?.merchantIds?.length !== 1;

function showMerchants() {
  show(screens.merchantList({
    product: app.info.product, merchants: app.info.merchants, categories: app.info.categories || [],
    useSearch: app.config.useSearch, useCategories: app.config.useCategories, onPick: pickMerchant, announce,
  }), { hints: false });
}

// --- the flow ------------------------------------------------------------

/** apply takes a flow state from any answer: newer ones only. */
function apply(state) {
  if (!state || app.closed || state.id !== app.flow?.id) return;
  if (state.version < app.flow.version || (state.version === app.flow.version && !app.force && app.shownKey)) return;
  app.flow = state;
  for (const ev of state.events || []) {
    if (ev.seq <= app.seq) continue;
    app.seq = ev.seq;
    post("event", eventMessage(ev, state.product));
  }
  render(state);
}

function render(state) {
  const screen = state.screen || {};
  const key = `${state.status} ${JSON.stringify(screen)}`;
  if (key === app.shownKey && !app.force) return;
  app.force = false;
  app.shownKey = key;
  app.drawn++;
  const merchant = state.merchant;
  const common = { merchant, message: screen.message, error: screen.error };
  switch (state.status) {
    case "login":
      if (screen.error) announce(screen.error);
      show(screens.login({ ...common, username: app.username, onSubmit: submitLogin }), { back: multipleMerchants(), login: true });
      break;
    case "working":
      announce(screen.message || `Connecting to ${merchant.name}`);
      show(screens.working(common));
      break;
    case "otp":
    case "license":
    case "zipcode":
      show(screens.singleInput(state.status, { ...common, onSubmit: (form, value) => submitInput(form, { kind: state.status, value }) }));
      break;
    case "questions":
      show(screens.questions({ ...common, questions: screen.questions || [], onSubmit: (form, answers) => submitInput(form, { kind: "questions", answers }) }));
      break;
    case "approval":
      show(screens.approval({ ...common, onAnswer: (form, approved) => submitInput(form, { kind: "approval", approved }) }));
      break;
    case "success":
      if (!app.successPosted) {
        app.successPosted = true;
        post("success", state.result || { merchant: merchant.name, product: state.product });
      }
      announce("Success");
      show(screens.success({ merchant, product: state.product, onDone: closeSDK }), { hints: false });
      break;
    case "error": {
      const err = state.error || {};
      if (err.errorCode && !app.errorPosted) {
        app.errorPosted = true;
        post("error", { errorCode: err.errorCode, message: err.message });
      }
      show(screens.failure({ message: err.message || "The login could not be completed.", onClose: closeSDK,
        onRetry: !err.errorCode && multipleMerchants() ? backToMerchants : null }), { hints: false });
      break;
    }
    case "closed":
      finish();
      break;
    default:
      show(screens.working(common));
  }
}

function fail(err, { report = true } = {}) {
  const code = err?.errorCode || "INTERNAL_ERROR";
  const message = err?.message || "An internal error occurred.";
  if (report) post("error", { errorCode: code, message });
  show(screens.failure({ message, onClose: closeSDK }), { hints: false });
}

async function pickMerchant(merchant) {
  show(screens.loading(`Opening ${merchant.name}…`));
  try {
    const state = await api.startFlow({
      sessionId: app.config.sessionId, clientId: app.config.clientId, merchantId: merchant.id,
      entryPoint: app.config.entryPoint, metadata: app.config.metadata,
    });
    app.flow = { id: state.id, version: -1 };
    app.seq = 0;
    app.shownKey = null;
    app.successPosted = false;
    app.errorPosted = false;
    apply(state);
    poll(state.id);
  } catch (err) {
    fail(err);
  }
}

async function submitLogin(form, username, password) {
  app.username = username;
  screens.busy(form, "Signing in…");
  announce("Signing in");
  await send(form, () => api.login(app.flow.id, username, password));
}

async function submitInput(form, body) {
  screens.busy(form, "Checking…");
  announce("Checking");
  await send(form, () => api.input(app.flow.id, body));
}

// send submits a step. Its answer is drawn even when it looks like the
// screen shown (a second wrong code), unless the long poll has drawn a
// newer state meanwhile: then the busy form is gone already, and drawing
// again would wipe what the user has started typing.
async function send(form, request) {
  const drawn = app.drawn;
  try {
    const state = await request();
    if (app.drawn === drawn) app.force = true;
    apply(state);
    app.force = false;
  } catch (err) {
    if (app.closed) return;
    screens.idle(form);
    const box = h("p", { id: "form-error", class: "error", role: "alert" }, err.message);
    form.querySelector(".error")?.remove();
    form.prepend(box);
    if (["Session_Expired", "Session_Not_Found"].includes(err.errorCode)) fail(err);
  }
}

/** poll long-polls the flow so events that come later are posted too. */
async function poll(id) {
  app.poller?.abort();
  const ctrl = new AbortController();
  app.poller = ctrl;
  let backoff = 500;
  while (!ctrl.signal.aborted && app.flow?.id === id) {
    const started = Date.now();
    try {
      const state = await api.poll(id, app.flow.version, ctrl.signal);
      backoff = 500;
      apply(state);
      if (state.status === "closed") return;
      if (Date.now() - started < 200 && state.version <= app.flow.version) await sleep(1000);
    } catch (err) {
      if (ctrl.signal.aborted || err.status === 404) return;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 10000);
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function stopFlow() {
  app.poller?.abort();
  app.poller = null;
  const flow = app.flow;
  app.flow = null;
  // A flow still running is closed; one that ended keeps its background steps.
  if (flow && !["closed", "success", "error"].includes(flow.status)) api.close(flow.id).catch(() => {});
}

function backToMerchants() {
  stopFlow();
  showMerchants();
}

/** closeSDK is the user closing: the flow ends and knotapi-js calls onExit. */
function closeSDK() {
  if (app.closed) return;
  stopFlow();
  finish();
}

function finish() {
  if (app.closed) return;
  app.closed = true;
  app.poller?.abort();
  post("close", { product: app.info?.product ?? app.flow?.product });
  if (!embedded) show(screens.failure({ heading: "Closed", message: "The SDK was closed. Reload the page to start again.", onClose: () => location.reload() }));
}

// --- start ---------------------------------------------------------------

$("close").addEventListener("click", closeSDK);
$("back").addEventListener("click", backToMerchants);
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && !e.defaultPrevented && !(e.target instanceof HTMLInputElement && e.target.type === "search" && e.target.value)) {
    e.preventDefault();
    closeSDK();
  }
});

async function start() {
  if (!embedded && !new URLSearchParams(location.search).get("sessionId")) {
    show(screens.standalone());
    return;
  }
  app.config = await initReceived;
  try {
    app.info = await api.init(app.config);
  } catch (err) {
    fail(err);
    return;
  }
  post("loadingFinished");
  const only = app.config.merchantIds?.length === 1 && app.info.merchants.find((m) => m.id === app.config.merchantIds[0]);
  if (only) pickMerchant(only);
  else showMerchants();
}

start();
