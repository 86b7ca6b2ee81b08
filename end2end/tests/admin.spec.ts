import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import * as OTPAuth from "otpauth";
import { demoAccount, enterPassword, expectAccessible, hydrated, recordSecret, signIn, watchConsole } from "./support";

test("an admin finds a person and opens their page", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  // The dashboard: charts drawn as SVG with their values as text.
  await expect(page.getByRole("img", { name: /By outcome, last 24 hours/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Needs attention" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
  await expectAccessible(page);

  // Themselves, so the page has a sign-in to show whichever test ran first.
  const user = demoAccount("admin");
  await page.getByLabel("Name, username or e-mail").fill(user.username.toUpperCase());
  await page.getByLabel("Role").selectOption("admin");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=/);
  const rows = page.getByTestId("person-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(user.username);
  await expectAccessible(page);

  // A filter that names nothing is refused beside it.
  await page.goto("/admin/users?status=asleep");
  await expect(page.getByText("Choose one of the listed statuses.")).toBeVisible();
  await expect(page.getByLabel("Account")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  await page.goto(`/admin/users?q=${user.username}`);
  await page.getByTestId("person-row").first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "Profile" })).toContainText(user.username);
  await expect(page.getByRole("region", { name: "Recent sign-ins" })).toContainText("Success");
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("Account created");
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test("an admin changes a person's MFA state and the audit log records it", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  const person = demoAccount("user");
  await page.goto(`/admin/users?q=${person.username}`);
  await page.getByTestId("person-row").first().getByRole("link").click();
  await hydrated(page);
  const actions = page.getByRole("region", { name: "Actions" });
  await actions.getByLabel("MFA state").selectOption("enforced");
  await actions.getByRole("button", { name: "Save MFA state" }).click();
  await expect(page.getByRole("region", { name: "Profile" })).toContainText("Enforced");
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("MFA state disabled -> enforced");
  await expectAccessible(page);

  // Back as it was, for the tests that sign this person in.
  await hydrated(page);
  await page.getByRole("region", { name: "Actions" }).getByLabel("MFA state").selectOption("disabled");
  await page.getByRole("region", { name: "Actions" }).getByRole("button", { name: "Save MFA state" }).click();
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("MFA state enforced -> disabled");
  expect(errors).toEqual([]);
});

test("an admin creates a person, who registers; then re-registration makes them register again", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.goto("/admin/users");
  await page.getByRole("link", { name: "New person" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New person" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  const form = page.getByRole("region", { name: "Account" });
  await form.getByLabel("Username").fill("e2e-newcomer");
  await form.getByLabel("Name", { exact: true }).fill("Nico Newcomer");
  await form.getByLabel("E-mail").fill("not an address");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByLabel("E-mail")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await form.getByLabel("E-mail").fill("nico@example.com");
  await form.getByRole("button", { name: "Create account" }).click();
  const firstPassword = (await page.getByTestId("first-password").textContent())!.trim();
  recordSecret(firstPassword);
  await expectAccessible(page);

  // The newcomer, in their own browser: their own password first, then an app.
  const theirs = await browser.newContext();
  const newcomer = await theirs.newPage();
  await enterPassword(newcomer, { role: "user", username: "e2e-newcomer", password: firstPassword });
  await expect(newcomer.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await hydrated(newcomer);
  await expectAccessible(newcomer);
  const ownPassword = "nico's own sentence for the portal";
  recordSecret(ownPassword);
  await newcomer.getByRole("textbox", { name: "New password" }).fill(ownPassword);
  await newcomer.getByRole("button", { name: "Save and continue" }).click();
  await expect(newcomer.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await hydrated(newcomer);
  await newcomer.getByLabel("Name for this app").fill("Nico's phone");
  await newcomer.getByRole("button", { name: "Continue" }).click();
  const secret = (await newcomer.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
  recordSecret(secret);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
  recordSecret(code);
  await newcomer.getByLabel("Code", { exact: true }).fill(code);
  await newcomer.getByRole("button", { name: "Activate" }).click();
  await expect(newcomer.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();

  // The admin finds them, sees the app, and requires re-registration.
  await page.goto("/admin/users?q=newcomer");
  await page.getByTestId("person-row").first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "Methods" })).toContainText("Nico's phone");
  await expect(page.getByRole("region", { name: "Profile" })).toContainText("Enforced");
  await hydrated(page);
  await expectAccessible(page);
  const actions = page.getByRole("region", { name: "Actions" });
  await actions.getByText("Require re-registration…").click();
  await actions.getByRole("button", { name: "Remove methods and require re-registration" }).click();
  await expect(page.getByRole("region", { name: "Methods" })).toContainText("No method registered.");
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("Re-registration required");
  await expectAccessible(page);

  // The newcomer was signed out; signing in asks them to register again.
  await newcomer.goto("/account");
  await expect(newcomer.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await enterPassword(newcomer, { role: "user", username: "e2e-newcomer", password: ownPassword });
  await expect(newcomer.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await theirs.close();
  // The refused e-mail address answered 400, which the browser logs.
  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the people list and a person's page fit the screen", async ({ page }) => {
    await signIn(page, demoAccount("admin"));
    for (const [path, heading] of [["/admin/users/new", "New person"], ["/admin/policies", "Policies"], ["/admin/audit", "Audit log"], ["/admin/fraud", "Fraud reports"], ["/admin", "Overview"]]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectAccessible(page);
    }
    for (const path of ["/admin/users"]) {
      await page.goto(path);
      await expect(page.getByTestId("person-row").first()).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectAccessible(page);
      await page.getByTestId("person-row").first().getByRole("link").click();
      await expect(page.getByRole("region", { name: "Profile" })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectAccessible(page);
    }
  });
});

test("an admin reads every policy, is refused a bad value beside its field, and changes one", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Policies" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Policies" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  const lockout = page.getByRole("region", { name: "Lockout" });
  await expect(lockout).toContainText("Default: 10.");
  await lockout.getByLabel("Wrong attempts before a lock").fill("0");
  await lockout.getByRole("button", { name: "Save" }).click();
  await expect(lockout.getByText("Enter a whole number from 1 to 100.")).toBeVisible();
  await expect(lockout.getByLabel("Wrong attempts before a lock")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await lockout.getByLabel("Wrong attempts before a lock").fill("12");
  await lockout.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("policy-change").first()).toContainText("lockout_threshold: (default) -> 12");
  await expect(page.getByRole("region", { name: "Lockout" }).getByLabel("Wrong attempts before a lock")).toHaveValue("12");
  // Back to the default value for the other tests.
  await hydrated(page);
  await page.getByRole("region", { name: "Lockout" }).getByLabel("Wrong attempts before a lock").fill("10");
  await page.getByRole("region", { name: "Lockout" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("policy-change").first()).toContainText("lockout_threshold: 12 -> 10");

  await page.goto("/admin/policies?since=someday");
  await expect(page.getByLabel("Changes since (UTC day)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  expect(errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
});

test("an admin filters the audit log, pages it and downloads it", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-entry").first()).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("What").selectOption("user.created");
  await page.getByLabel("About (username)").fill(demoAccount("user").username);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/action=user.created/);
  await expect(page.getByTestId("audit-entry")).toHaveCount(1);
  await expect(page.getByTestId("audit-entry")).toContainText("Account created");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("audit-log.csv");
  const csv = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(csv[0]).toBe("time_utc,actor,person,action,action_label,detail,ip");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain("user.created");

  await page.goto("/admin/audit?from=2026-13-45");
  await expect(page.getByLabel("From (UTC day)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test("a person's report reaches the fraud queue, where an admin dismisses it with a note", async ({ page, browser }) => {
  const errors = watchConsole(page);
  // The person reports their newest sign-in from My sign-ins.
  const theirs = await browser.newContext();
  const person = await theirs.newPage();
  await signIn(person, demoAccount("user"));
  await person.goto("/security/sign-ins");
  await hydrated(person);
  await person.getByTestId("history-row").first().getByRole("link", { name: /This wasn't me/ }).click();
  await hydrated(person);
  await person.getByRole("button", { name: "Yes, report it" }).click();
  await expect(person.getByText("your administrators have been told")).toBeVisible();
  await theirs.close();

  await signIn(page, demoAccount("admin"));
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Fraud reports" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fraud reports" })).toBeVisible();
  await hydrated(page);
  const report = page.getByTestId("fraud-report").filter({ hasText: demoAccount("user").username });
  await expect(report).toContainText("My sign-ins");
  await expect(report).toContainText("Portal");
  await expectAccessible(page);
  await report.getByLabel("Not fraud: dismiss and lift the block").check();
  await report.getByLabel("Note for the log (optional)").fill("Tested by the browser suite");
  await report.getByRole("button", { name: "Save decision" }).click();
  await expect(page.getByTestId("fraud-report").filter({ hasText: demoAccount("user").username })).toHaveCount(0);
  await page.goto(`/admin/audit?action=fraud.dismissed`);
  await expect(page.getByTestId("audit-entry").first()).toContainText("Tested by the browser suite");
  await expectAccessible(page);
  expect(errors).toEqual([]);
});
