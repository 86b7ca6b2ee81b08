import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { demoAccount, enterPassword, expectAccessible, hydrated, recordSecret, signIn, watchConsole } from "./support";

/** A kept e-mail with its quoted-printable body decoded (lettre sends long lines so). */
function readable(mail: string): string {
  if (!mail.includes("Content-Transfer-Encoding: quoted-printable")) return mail;
  return mail.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The token of the newest set-up link e-mailed to `address` (the SMTP server's Maildir). */
async function setupTokenFor(address: string): Promise<string> {
  const maildir = join(process.env.E2E_MAILDIR ?? join(__dirname, "../.run/mail"), "new");
  for (let i = 0; i < 100; i++) {
    const tokens = readdirSync(maildir)
      .map((name) => readable(readFileSync(join(maildir, name), "utf8")))
      .filter((mail) => mail.includes(`To: ${address}`) && mail.includes("Subject: Set up your MFA Portal account"))
      .map((mail) => /\/set-up\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1])
      .filter((token): token is string => !!token);
    if (tokens.length > 0) return tokens[tokens.length - 1];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no set-up link reached ${address}`);
}

test("an admin creates a person with an e-mailed set-up link; the person chooses a password and registers", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.goto("/admin/users/new");
  await hydrated(page);
  const form = page.getByRole("region", { name: "Account" });
  await form.getByLabel("Username").fill("e2e-linked");
  await form.getByLabel("Name", { exact: true }).fill("Lina Linked");
  await form.getByLabel("E-mail").fill("lina@example.com");
  await form.getByLabel("First password").selectOption("email");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("setup-link-sent")).toContainText("lina@example.com");
  await expect(page.getByTestId("first-password")).toHaveCount(0);
  await expectAccessible(page);

  const token = await setupTokenFor("lina@example.com");
  recordSecret(token);
  const theirs = await browser.newContext();
  const lina = await theirs.newPage();
  const linaErrors = watchConsole(lina);
  await lina.goto(`/set-up?token=${token}`);
  await expect(lina.getByRole("heading", { level: 1, name: "Set up your account" })).toBeVisible();
  await expect(lina.getByText("Welcome, Lina Linked")).toBeVisible();
  await hydrated(lina);
  await expectAccessible(lina);
  await lina.getByLabel("Your password").fill("lina");
  await lina.getByRole("button", { name: "Save my password" }).click();
  await expect(lina.getByLabel("Your password")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(lina);
  const password = "lina's own long sentence";
  recordSecret(password);
  await lina.getByLabel("Your password").fill(password);
  await lina.getByRole("button", { name: "Save my password" }).click();
  await expect(lina.getByRole("heading", { level: 1, name: "Your password is set" })).toBeVisible();
  await expectAccessible(lina);

  // The link worked once.
  await lina.goto(`/set-up?token=${token}`);
  await expect(lina.getByText("no longer works")).toBeVisible();
  await expectAccessible(lina);

  // Enabled for MFA and without a method: registration comes right after the password.
  await enterPassword(lina, { role: "user", username: "e2e-linked", password });
  await expect(lina.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await theirs.close();
  expect(errors).toEqual([]);
  // The refused password answered 400, which the browser logs.
  expect(linaErrors.filter((e) => !e.includes("status of 400") && !e.includes("status of 410"))).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the set-up page fits the screen", async ({ page }) => {
    await page.goto("/set-up?token=not-a-real-token");
    await expect(page.getByRole("heading", { level: 1, name: "Set up your account" })).toBeVisible();
    await expect(page.getByText("no longer works")).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await expectAccessible(page);
  });
});
