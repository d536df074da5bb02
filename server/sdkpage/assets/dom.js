// Tiny DOM helpers: h() builds elements; text is always set as text, never
// as HTML, so merchant names and server messages cannot inject markup.

/**
 * h("button", {type: "button", onclick}, "Label", child, ...)
 * Attributes: on* are listeners, class/className set the class, "hidden",
 * "disabled" and other booleans are set when true, everything else with
 * setAttribute. Children: strings, nodes, arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class" || key === "className") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

const SVG = "http://www.w3.org/2000/svg";

/** An inline icon from path data (24×24 viewBox, stroked). */
export function icon(d, cls = "icon") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", cls);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

export const icons = {
  check: "M5 12.5l4.5 4.5L19 7.5",
  alert: "M12 7v6M12 16.5v.5M12 3l9.5 17h-19z",
  search: "M10.5 17a6.5 6.5 0 1 1 0-13 6.5 6.5 0 0 1 0 13zM15.5 15.5L20 20",
  lock: "M7 11V8a5 5 0 0 1 10 0v3M5.5 11h13v9h-13z",
  phone: "M8 3h8v18H8zM11 18h2",
};

/** Up to two initials of a name (DoorDash → DD, Best Buy → BB), for logos that do not load. */
export function initials(name) {
  const words = String(name)
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] || "?")[0];
  return letters.toUpperCase();
}

/** A stable hue for a name, so each merchant's fallback has its colour. */
export function hue(name) {
  let n = 0;
  for (const ch of String(name)) n = (n * 31 + ch.codePointAt(0)) % 360;
  return n;
}

/**
 * A merchant logo: initials on a coloured tile, replaced by the image once
 * it has loaded (an image that fails keeps the initials).
 */
export function logo(merchant, size = "md") {
  const tile = h("span", { class: `logo logo-${size}`, "aria-hidden": "true" }, initials(merchant.name));
  tile.style.setProperty("--hue", String(hue(merchant.name)));
  if (merchant.logo) {
    const img = new Image();
    img.alt = "";
    img.decoding = "async";
    img.referrerPolicy = "no-referrer";
    img.addEventListener("load", () => {
      tile.textContent = "";
      tile.classList.add("has-image");
      tile.append(img);
    }, { once: true });
    img.src = merchant.logo;
  }
  return tile;
}
