// The page's screens. Each function returns {node, focus}: the screen's
// element and the element that gets focus when it is shown (its first
// field, or its main button). Screens hold no state of the flow; app.js
// decides which one to show.

import { h, icon, icons, logo } from "./dom.js";

const COPY = {
  card_switcher: {
    title: "Update your card",
    lead: "Choose a merchant to update your card on file.",
    done: (m) => `Your card is being added to your ${m} account.`,
  },
  transaction_link: {
    title: "Connect your account",
    lead: "Choose a merchant to share your purchase history.",
    done: (m) => `Your ${m} account is connected.`,
  },
  link: { title: "Link your account", lead: "Choose a merchant to link.", done: (m) => `Your ${m} account is linked.` },
  vault: { title: "Link your account", lead: "Choose a merchant to link.", done: (m) => `Your ${m} account is linked.` },
};
const copyFor = (product) => COPY[product] || COPY.link;

const title = (text) => h("h1", { id: "screen-title", class: "title", tabindex: "-1" }, text);

function errorText(id, message) {
  return message ? h("p", { id, class: "error", role: "alert" }, icon(icons.alert), h("span", {}, message)) : null;
}

function field({ id, label, type = "text", autocomplete, inputmode, value, error, hint, required = true }) {
  const describedBy = [hint && `${id}-hint`, error && "form-error"].filter(Boolean).join(" ") || null;
  const input = h("input", {
    id, name: id, type, autocomplete, inputmode, required, spellcheck: "false", autocapitalize: "off",
    "aria-invalid": error ? "true" : null, "aria-describedby": describedBy,
  });
  if (value) input.value = value;
  return {
    input,
    node: h("div", { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { id: `${id}-hint`, class: "field-hint" }, hint) : null,
      input),
  };
}

/** busy disables a form while its answer is awaited. */
export function busy(form, text) {
  for (const el of form.querySelectorAll("input, button")) el.disabled = true;
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.dataset.label = button.textContent;
    button.replaceChildren(h("span", { class: "spinner spinner-sm", "aria-hidden": "true" }), text);
  }
  form.setAttribute("aria-busy", "true");
}

/** idle undoes busy (the answer was an error the form shows itself). */
export function idle(form) {
  for (const el of form.querySelectorAll("input, button")) el.disabled = false;
  const button = form.querySelector("button[type=submit]");
  if (button?.dataset.label) button.textContent = button.dataset.label;
  form.removeAttribute("aria-busy");
}

function merchantHeader(merchant, text) {
  return h("div", { class: "merchant-head" }, logo(merchant, "lg"), title(text));
}

function form(onSubmit, ...children) {
  const el = h("form", { class: "form", novalidate: true }, ...children);
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    const firstEmpty = [...el.querySelectorAll("input[required]")].find((i) => !i.value.trim());
    if (firstEmpty) {
      firstEmpty.setAttribute("aria-invalid", "true");
      firstEmpty.focus();
      return;
    }
    onSubmit(el);
  });
  return el;
}

export function loading(text = "Loading…") {
  const t = title(text);
  return { node: h("div", { class: "center" }, h("span", { class: "spinner", "aria-hidden": "true" }), t), focus: t };
}

export function merchantList({ product, merchants, categories, useSearch, useCategories, onPick, announce }) {
  const copy = copyFor(product);
  let query = "";
  let category = null;
  const list = h("ul", { class: "merchants", "aria-label": "Merchants" });
  const empty = h("p", { class: "empty", hidden: true });
  const render = () => {
    const q = query.trim().toLowerCase();
    const shown = merchants.filter((m) => (!q || m.name.toLowerCase().includes(q)) && (!category || m.category === category));
    list.replaceChildren(...shown.map((m) => h("li", {},
      h("button", { type: "button", class: "merchant", "data-merchant-id": m.id, onclick: () => onPick(m) },
        logo(m), h("span", { class: "merchant-text" }, h("span", { class: "merchant-name" }, m.name),
          m.category ? h("span", { class: "merchant-category" }, m.category) : null),
        h("span", { class: "chevron", "aria-hidden": "true" })))));
    empty.hidden = shown.length > 0;
    empty.textContent = q ? `No merchant matches “${query.trim()}”.` : "No merchants are available for this session.";
    return shown.length;
  };
  const count = (n) => announce(`${n} merchant${n === 1 ? "" : "s"}`);

  const search = useSearch === false ? null : h("input", {
    id: "search", type: "search", placeholder: "Search merchants", autocomplete: "off", spellcheck: "false",
    "aria-controls": "merchant-list-region",
    oninput: (e) => { query = e.target.value; count(render()); },
  });
  const chips = useCategories === false || categories.length < 2 ? null : h("div", { class: "chips", role: "group", "aria-label": "Categories" },
    [null, ...categories].map((c) => h("button", {
      type: "button", class: "chip", "aria-pressed": String(c === category),
      onclick: (e) => {
        category = c;
        for (const b of e.currentTarget.parentElement.children) b.setAttribute("aria-pressed", String(b === e.currentTarget));
        count(render());
      },
    }, c || "All")));

  // Arrow keys move between the search box and the merchants.
  const onKey = (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = [search, ...list.querySelectorAll("button.merchant")].filter(Boolean);
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    const next = items[Math.min(items.length - 1, Math.max(0, i + (e.key === "ArrowDown" ? 1 : -1)))];
    if (next) { e.preventDefault(); next.focus(); }
  };
  render();
  const t = title(copy.title);
  const node = h("div", { class: "stack", onkeydown: onKey },
    t, h("p", { class: "lead" }, copy.lead),
    search ? h("div", { class: "search" }, h("label", { for: "search", class: "sr-only" }, "Search merchants"), icon(icons.search), search) : null,
    chips,
    h("div", { id: "merchant-list-region" }, list, empty));
  return { node, focus: search || list.querySelector("button") || t };
}

export function login({ merchant, error, username, onSubmit }) {
  const user = field({ id: "username", label: "Email or username", autocomplete: "username", value: username, error });
  const pass = field({ id: "password", label: "Password", type: "password", autocomplete: "current-password", error });
  const el = form((f) => onSubmit(f, user.input.value.trim(), pass.input.value),
    errorText("form-error", error), user.node, pass.node,
    h("button", { type: "submit", class: "primary" }, "Sign in"));
  const node = h("div", { class: "stack" }, merchantHeader(merchant, `Log in to ${merchant.name}`),
    h("p", { class: "lead" }, icon(icons.lock, "icon inline"), ` Enter your ${merchant.name} login. In the sandbox, use a test credential below.`),
    el);
  return { node, focus: user.input, form: el, fill: (u, p) => { user.input.value = u; pass.input.value = p; pass.input.focus(); } };
}

export function working({ merchant, message }) {
  const t = title(message || `Connecting to ${merchant.name}…`);
  return {
    node: h("div", { class: "center" }, logo(merchant, "lg"), h("span", { class: "spinner", "aria-hidden": "true" }), t,
      h("p", { class: "lead" }, "This can take a few moments.")),
    focus: t,
  };
}

/** One-field steps: OTP, driver's license, ZIP code. */
const SINGLE = {
  otp: { heading: "Enter your code", label: "Verification code", lead: (m) => `${m} sent a one-time code to your phone or email.`, autocomplete: "one-time-code", inputmode: "numeric", button: "Verify" },
  license: { heading: "Verify your identity", label: "Driver’s license number", lead: (m) => `${m} asks for your driver’s license number.`, autocomplete: "off", button: "Continue" },
  zipcode: { heading: "Confirm your ZIP code", label: "ZIP code", lead: (m) => `${m} asks for the ZIP code of your billing address.`, autocomplete: "postal-code", inputmode: "numeric", button: "Continue" },
};

export function singleInput(kind, { merchant, message, error, onSubmit }) {
  const c = SINGLE[kind];
  const f = field({ id: kind, label: c.label, autocomplete: c.autocomplete, inputmode: c.inputmode, error });
  const el = form((formEl) => onSubmit(formEl, f.input.value.trim()), errorText("form-error", error), f.node,
    h("button", { type: "submit", class: "primary" }, c.button));
  return {
    node: h("div", { class: "stack" }, merchantHeader(merchant, c.heading), h("p", { class: "lead" }, message || c.lead(merchant.name)), el),
    focus: f.input, form: el,
  };
}

export function questions({ merchant, questions, message, error, onSubmit }) {
  const fields = (questions.length ? questions : ["Security question"]).map((q, i) => field({ id: `answer-${i + 1}`, label: q, error }));
  const el = form((formEl) => onSubmit(formEl, fields.map((f) => f.input.value.trim())), errorText("form-error", error),
    fields.map((f) => f.node), h("button", { type: "submit", class: "primary" }, "Continue"));
  return {
    node: h("div", { class: "stack" }, merchantHeader(merchant, "Answer your security questions"),
      h("p", { class: "lead" }, message || `${merchant.name} asks you to answer your security questions.`), el),
    focus: fields[0].input, form: el,
  };
}

export function approval({ merchant, message, error, onAnswer }) {
  const approve = h("button", { type: "submit", class: "primary" }, "I approved the login");
  const el = form((formEl) => onAnswer(formEl, true), errorText("form-error", error),
    h("div", { class: "approval" }, icon(icons.phone, "icon big"),
      h("p", {}, message || `Open the ${merchant.name} app or your email and approve this login.`)),
    approve,
    h("button", { type: "button", class: "secondary", onclick: () => onAnswer(el, false) }, "Decline"));
  return { node: h("div", { class: "stack" }, merchantHeader(merchant, "Approve the login"), el), focus: approve, form: el };
}

export function success({ merchant, product, onDone }) {
  const done = h("button", { type: "button", class: "primary", onclick: onDone }, "Done");
  return {
    node: h("div", { class: "center result" }, h("span", { class: "result-icon ok" }, icon(icons.check, "icon big")),
      title("Success"), h("p", { class: "lead" }, copyFor(product).done(merchant.name)), done),
    focus: done,
  };
}

export function failure({ heading = "Something went wrong", message, onClose, onRetry, retryLabel = "Choose another merchant" }) {
  const close = h("button", { type: "button", class: onRetry ? "secondary" : "primary", onclick: onClose }, "Close");
  const retry = onRetry ? h("button", { type: "button", class: "primary", onclick: onRetry }, retryLabel) : null;
  return {
    node: h("div", { class: "center result" }, h("span", { class: "result-icon bad" }, icon(icons.alert, "icon big")),
      title(heading), h("p", { class: "lead", role: "alert" }, message), retry, close),
    focus: retry || close,
  };
}

export function standalone() {
  const t = title("Knot sandbox SDK page");
  return {
    node: h("div", { class: "stack" }, t,
      h("p", { class: "lead" }, "knotapi-js opens this page in its iframe and sends it the SDK's configuration."),
      h("p", {}, "To try it on its own, add ", h("code", {}, "?sessionId=…&clientId=…"), " (and ", h("code", {}, "merchantIds=19"),
        ") to the address, or load ", h("code", {}, "/sdk/knotapi.js"), " in your app instead of knotapi-js.")),
    focus: t,
  };
}
