// Runs one browser flow of the SDK page and prints its result as JSON on the
// last line of stdout. e2e_test.go starts it:
//
//   node e2e/run.mjs '{"flow":"otp","sandbox":"http://127.0.0.1:1234","app":"http://127.0.0.1:5678",
//                      "sessionId":"...","clientId":"...","merchantIds":[19],"artifacts":"e2e/artifacts"}'
//
// The app (e2e/app/index.html, served by the Go test) opens the genuine
// knotapi-js, whose iframe address (https://development-knotapi.vercel.app/)
// and analytics address (https://development.knotapi.com/events) are routed
// to the sandbox. With "dropin": "knotapi.js" (or "knotapi.mjs") the app
// loads the sandbox's own drop-in script instead and nothing is routed. No other address is reached.
//
// With "docs" (KNOTMOCK_E2E_SCREENSHOTS=1) it also keeps the screenshot of
// every step in the artifacts folder, as it does on failure.
//
// Result: {ok, calls: [{callback, arg}], steps: [...], error?, console: [...], pageErrors: [...]}.

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { flows } from "./flows.mjs";

const opts = JSON.parse(process.argv[2] || "{}");
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const HOSTED_UI = "https://development-knotapi.vercel.app/";
const ANALYTICS = "https://development.knotapi.com/events";

function isLocal(url) {
  const { hostname } = new URL(url);
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/** forward answers a routed request from the sandbox at path. */
async function forward(route, url) {
  try {
    const response = await route.fetch({ url, timeout: 60_000, maxRedirects: 0 });
    await route.fulfill({ response });
  } catch {
    await route.abort().catch(() => {});
  }
}

/** writeShots saves the screenshot of each step into the artifacts folder. */
async function writeShots(shots, o) {
  await fs.mkdir(o.artifacts, { recursive: true });
  for (const [i, s] of shots.entries()) {
    if (s.png) await fs.writeFile(path.join(o.artifacts, `${o.flow}-${String(i + 1).padStart(2, "0")}-${s.name}.png`), s.png);
  }
}

async function main() {
  const result = { ok: false, flow: opts.flow, calls: [], steps: [], console: [], pageErrors: [] };
  // A flow that hangs still reports where it was.
  const watchdog = setTimeout(() => {
    process.stdout.write(JSON.stringify({ ok: false, flow: opts.flow, error: `flow still running after ${opts.deadlineMs || 90_000} ms`, steps: result.steps, console: result.console }) + "\n");
    process.exit(1);
  }, opts.deadlineMs || 90_000);
  const flow = flows[opts.flow];
  if (!flow) throw new Error(`unknown flow ${opts.flow}; known: ${Object.keys(flows).join(", ")}`);
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), "knotmock-e2e-"));
  const shots = [];
  let context;
  let page;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opts.chromium || "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 375, height: 667 },
      timeout: 60_000,
    });
    // Nothing leaves the machine: local addresses pass, Knot's two SDK
    // addresses go to the sandbox (unless the drop-in is tested), the rest
    // (merchant logos, say) is refused. The last route added is tried first.
    await context.route("**/*", (route) =>
      isLocal(route.request().url()) ? route.continue() : route.abort("blockedbyclient"));
    if (!opts.dropin) {
      await context.route(`${HOSTED_UI}**`, (route) => {
        const u = new URL(route.request().url());
        return forward(route, opts.sandbox + (u.pathname === "/" ? "/sdk/" : u.pathname) + u.search);
      });
      await context.route(ANALYTICS, (route) => forward(route, `${opts.sandbox}/events`));
    }
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(opts.timeoutMs || 15_000);
    page.on("console", (m) => {
      if (!m.text().includes("ERR_BLOCKED_BY_CLIENT")) result.console.push(`${m.type()}: ${m.text()}`); // blocked logos
    });
    page.on("pageerror", (e) => result.pageErrors.push(String(e)));

    const appURL = new URL(opts.app);
    if (opts.dropin) appURL.searchParams.set("sdk", `${opts.sandbox}/sdk/${opts.dropin === true ? "knotapi.js" : opts.dropin}`);
    await page.goto(appURL.href);

    const t = {
      opts,
      page,
      frame: page.frameLocator("#knotapi-iframe"),
      /** step names a step and keeps a screenshot of the page after it. */
      async step(name, fn) {
        result.steps.push(name);
        process.stderr.write(`${opts.flow}: ${name}\n`);
        try {
          return await fn();
        } finally {
          shots.push({ name, png: await page.screenshot().catch(() => null) });
        }
      },
      /** waitFor waits until the app has received count calls of a callback (and event). */
      async waitFor(callback, event, count = 1) {
        await page.waitForFunction(([cb, ev, n]) =>
          window.calls.filter((c) => c.callback === cb && (!ev || c.arg?.event === ev)).length >= n, [callback, event, count]);
      },
      calls: () => page.evaluate(() => window.calls),
      /** advance moves the sandbox clock forward (admin API). */
      async advance(duration) {
        const res = await fetch(`${opts.sandbox}/_mock/clock/advance`, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ duration }),
        });
        if (!res.ok) throw new Error(`clock advance: ${res.status} ${await res.text()}`);
      },
      /** focused waits until the frame's active element matches selector. */
      async focused(selector) {
        const frame = await (await page.locator("#knotapi-iframe").elementHandle()).contentFrame();
        await frame.waitForFunction((sel) => document.activeElement?.matches(sel), selector);
      },
      async docsShot(name) {
        if (opts.docs) await page.screenshot({ path: path.join(opts.docs, name) });
      },
    };
    await t.step("open", () => page.evaluate((config) => window.openKnot(config), {
      sessionId: opts.sessionId, clientId: opts.clientId, merchantIds: opts.merchantIds, entryPoint: "e2e",
      useSearch: opts.useSearch, useCategories: opts.useCategories,
    }));
    await flow(t);
    result.calls = await t.calls();
    result.ok = true;
    if (opts.docs && opts.artifacts) await writeShots(shots, opts);
  } catch (err) {
    result.error = String(err?.stack || err);
    if (page) result.calls = await page.evaluate(() => window.calls).catch(() => []);
    if (opts.artifacts) {
      await writeShots(shots, opts);
      if (page) await page.screenshot({ path: path.join(opts.artifacts, `${opts.flow}-failure.png`) }).catch(() => {});
    }
  } finally {
    await context?.close().catch(() => {});
    await fs.rm(profile, { recursive: true, force: true }).catch(() => {});
  }
  clearTimeout(watchdog);
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ ok: false, error: String(err?.stack || err) }) + "\n");
  process.exitCode = 1;
});
