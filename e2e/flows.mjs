// The browser flows run.mjs runs, one per test of e2e_test.go. Each drives
// the SDK page inside knotapi-js's iframe as a user would (labels, roles,
// keyboard) and waits for the callbacks the app should receive; the Go
// test then checks the whole list of callbacks, in order.

/** login fills the login form and submits it with Enter. */
async function login(t, merchant, username, password) {
  const f = t.frame;
  await t.step("login", async () => {
    await f.getByRole("heading", { name: `Log in to ${merchant}` }).waitFor();
    await t.focused("#username"); // focus is on the first field
    await f.getByLabel("Email or username", { exact: true }).fill(username);
    await f.getByLabel("Password", { exact: true }).fill(password);
    await f.getByLabel("Password", { exact: true }).press("Enter");
  });
}

/** otp answers the one-time-password step. */
async function otp(t, code) {
  const f = t.frame;
  await t.step(`otp-${code}`, async () => {
    await f.getByRole("heading", { name: "Enter your code" }).waitFor();
    await t.focused("#otp");
    await f.getByLabel("Verification code", { exact: true }).fill(code);
    await f.getByLabel("Verification code", { exact: true }).press("Enter");
  });
}

/** done presses Done on the success screen, which closes the SDK. */
async function done(t) {
  await t.step("done", async () => {
    await t.frame.getByRole("heading", { name: "Success" }).waitFor();
    await closing(t, () => t.frame.getByRole("button", { name: "Done" }).click());
  });
}

/**
 * closing runs an action that closes the SDK (Done, Close, Escape) and
 * waits for onExit. knotapi-js removes the frame while the input event is
 * still being handled, so the action itself may never report back: it is
 * given a moment, not awaited.
 */
async function closing(t, action) {
  const acted = action().catch(() => {});
  await t.waitFor("onExit");
  await Promise.race([acted, t.page.waitForTimeout(500)]);
  await t.page.locator("#knotapi-iframe-holder").waitFor({ state: "detached" });
}

/** quiet waits a moment so callbacks that should not come would show up. */
const quiet = (t, ms = 700) => t.page.waitForTimeout(ms);

export const flows = {
  // The merchant list (search, pick), a good login, success, Done.
  async "card-switch"(t) {
    const f = t.frame;
    await t.step("merchants", async () => {
      await f.getByRole("heading", { name: "Update your card" }).waitFor();
      await t.focused("#search");
      await t.docsShot("sdk-merchants.png");
    });
    await t.step("search", async () => {
      await f.getByLabel("Search merchants", { exact: true }).fill("door");
      await f.getByRole("button", { name: /DoorDash/ }).click();
    });
    await t.step("login-form", async () => {
      await f.getByRole("heading", { name: "Log in to DoorDash" }).waitFor();
      await t.focused("#username");
      await f.getByText("Sandbox test credentials").waitFor();
      await f.getByRole("button", { name: /^Use user_good \/ pass_good/ }).click(); // a hint fills the form
      await t.focused("#password");
      await t.docsShot("sdk-login.png");
      await f.getByLabel("Password", { exact: true }).fill("");
      await f.getByLabel("Email or username", { exact: true }).fill("");
    });
    await login(t, "DoorDash", "user_good", "pass_good");
    await t.step("success", () => t.waitFor("onSuccess"));
    await done(t);
  },

  async otp(t) {
    await login(t, "DoorDash", "user_good", "pass_otp");
    await otp(t, "1234");
    await t.step("success", () => t.waitFor("onSuccess"));
  },

  async "wrong-otp"(t) {
    await login(t, "DoorDash", "user_good", "pass_otp");
    await otp(t, "0000");
    await t.step("otp-error", async () => {
      await t.frame.getByRole("alert").filter({ hasText: "That code is incorrect" }).waitFor();
      await t.waitFor("onEvent", "OTP_REQUIRED", 2);
    });
    await otp(t, "1234");
    await t.step("success", () => t.waitFor("onSuccess"));
  },

  // security questions: two labelled fields, Tab between them.
  async questions(t) {
    const f = t.frame;
    await login(t, "DoorDash", "user_good", "pass_questions");
    await t.step("questions", async () => {
      await f.getByRole("heading", { name: "Answer your security questions" }).waitFor();
      await t.focused("#answer-1");
      await t.page.keyboard.type("fluffy");
      await t.page.keyboard.press("Tab");
      await t.page.keyboard.type("paris");
      await t.page.keyboard.press("Enter");
    });
    await t.step("success", () => t.waitFor("onSuccess"));
  },

  // approval: declining goes back to the login form; approving succeeds.
  async approval(t) {
    const f = t.frame;
    await login(t, "DoorDash", "user_good", "pass_approval");
    await t.step("decline", async () => {
      await f.getByRole("heading", { name: "Approve the login" }).waitFor();
      await f.getByRole("button", { name: "Decline" }).click();
      await f.getByRole("alert").filter({ hasText: "The login was not approved." }).waitFor();
    });
    await login(t, "DoorDash", "user_good", "pass_approval");
    await t.step("approve", async () => {
      await t.focused("button.primary");
      await t.page.keyboard.press("Enter");
      await t.waitFor("onSuccess");
    });
  },

  async failed(t) {
    await login(t, "DoorDash", "credentials", "failed");
    await t.step("login-error", async () => {
      await t.frame.getByRole("alert").filter({ hasText: "The username or password is incorrect." }).waitFor();
      await t.frame.getByLabel("Password", { exact: true }).waitFor(); // still on the login form
      await quiet(t);
    });
    await t.step("escape", async () => {
      await t.frame.getByLabel("Password", { exact: true }).focus();
      await closing(t, () => t.page.keyboard.press("Escape"));
    });
  },

  async "invalid-session"(t) {
    await t.step("error", async () => {
      await t.waitFor("onError");
      await t.frame.getByRole("heading", { name: "Something went wrong" }).waitFor();
    });
    await t.step("close", async () => {
      await closing(t, () => t.frame.getByRole("button", { name: "Close" }).first().click());
    });
  },

  async close(t) {
    await t.step("close", async () => {
      await t.frame.getByRole("heading", { name: "Log in to DoorDash" }).waitFor();
      await closing(t, () => t.frame.getByRole("button", { name: "Close" }).click());
      await quiet(t, 300);
    });
  },

  // Two merchants, no search, no categories; Back returns to the list.
  async options(t) {
    const f = t.frame;
    await t.step("merchants", async () => {
      await f.getByRole("heading", { name: "Connect your account" }).waitFor();
      const names = await f.locator("button.merchant .merchant-name").allTextContents();
      if (names.join(",") !== "Amazon,DoorDash") throw new Error(`merchants shown: ${names}`);
      if (await f.locator("#search, .chips").count()) throw new Error("search or categories shown");
      await t.focused("button.merchant");
      await t.page.keyboard.press("ArrowDown"); // arrow keys move through the list
      await t.focused("button[data-merchant-id='19']");
      await t.page.keyboard.press("ArrowUp");
      await t.page.keyboard.press("Enter");
    });
    await t.step("back", async () => {
      await f.getByRole("heading", { name: "Log in to Amazon" }).waitFor();
      await f.getByRole("button", { name: "Back to merchants" }).click();
      await f.getByRole("button", { name: /DoorDash/ }).click();
    });
    await login(t, "DoorDash", "user_good_transactions", "pass_good");
    await t.step("success", async () => {
      await t.waitFor("onSuccess");
      await f.getByText("Your DoorDash account is connected.").waitFor();
    });
  },

  // Time passes on the login form (the sandbox clock is advanced): the
  // long poll brings REFRESH_SESSION_REQUEST, then the session's expiry.
  async expiry(t) {
    await t.step("login-form", () => t.frame.getByRole("heading", { name: "Log in to DoorDash" }).waitFor());
    await t.step("refresh", async () => {
      await t.advance("29m56s");
      await t.waitFor("onEvent", "REFRESH_SESSION_REQUEST");
    });
    await t.step("expired", async () => {
      await t.advance("10s");
      await t.waitFor("onError");
      await t.frame.getByRole("heading", { name: "Something went wrong" }).waitFor();
      await t.frame.getByText("The session has expired.").waitFor();
    });
  },

  // The drop-in script: same flow as "otp" but the app loads /sdk/knotapi.js.
  async dropin(t) {
    await login(t, "DoorDash", "user_good", "pass_otp");
    await otp(t, "1234");
    await t.step("success", () => t.waitFor("onSuccess"));
    await done(t);
  },
};
