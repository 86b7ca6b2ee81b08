import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { demoAccount, expectAccessible, hydrated, recordSecret, signIn, watchConsole } from "./support";

test("an app password's use shows in My sign-ins, is reported, and the account is secured", async ({ page }) => {
  const errors = watchConsole(page);
  const account = demoAccount("reporter");
  await signIn(page, account);

  // An app password, used by "an app" (this test) against the verify endpoint.
  await page.goto("/security");
  await hydrated(page);
  const section = page.getByRole("region", { name: "App passwords" });
  await section.getByLabel("Name of the app").fill("Thunderbird");
  await section.getByRole("button", { name: "Create app password" }).click();
  const password = (await page.getByTestId("app-password").textContent())!.trim();
  recordSecret(password);
  const basic = `Basic ${Buffer.from(`${account.username}:${password}`).toString("base64")}`;
  const use = await page.request.post("/api/v1/app-password/verify", {
    headers: { authorization: basic, "user-agent": "Thunderbird/128.0" },
  });
  expect(use.status()).toBe(200);

  // The use is the newest row of the history, in words.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My sign-ins" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My sign-ins" })).toBeVisible();
  await hydrated(page);
  const newest = page.getByTestId("history-row").first();
  await expect(newest).toContainText("Success");
  await expect(newest).toContainText("App password");
  await expect(newest).toContainText("Thunderbird");
  await expect(newest).toContainText("1004 App Password Accepted");
  await expectAccessible(page);

  // Filters: only unsuccessful attempts, of which there are none.
  await page.getByLabel("Result").selectOption("failure");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("No sign-ins match these filters.")).toBeVisible();
  await page.getByLabel("From (UTC)").fill("2026-11-30");
  await page.getByLabel("To (UTC)").fill("2026-11-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("The end date is before the start date.")).toBeVisible();
  await expect(page.getByLabel("To (UTC)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Clear" }).click();
  await hydrated(page);

  // The CSV download arrives whole through the browser (which asks for gzip/br).
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("sign-ins.csv");
  expect(await download.failure()).toBeNull();
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toContain("time_utc,result,result_code");
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.some((line) => line.includes("Thunderbird"))).toBe(true);

  // "This wasn't me" on that row, confirmed, then the account secured.
  await page.getByTestId("history-row").first().getByRole("link", { name: /This wasn't me/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Report a sign-in" })).toBeVisible();
  await hydrated(page);
  await expect(page.locator("dl.facts")).toContainText("Thunderbird");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Yes, report it" }).click();
  await expect(page.getByText("your administrators have been told")).toBeVisible();
  const secure = page.getByRole("region", { name: "Secure your account" });
  await secure.getByLabel("Current password").fill(account.password);
  const newPassword = `${account.password} renewed`;
  recordSecret(newPassword);
  await secure.getByLabel("New password").fill(newPassword);
  await expectAccessible(page);
  await secure.getByRole("button", { name: "Secure my account" }).click();
  await expect(secure.getByText("Your account is secured.")).toBeVisible();
  await expect(secure.getByText("0 remembered browsers forgotten, 1 app password revoked.")).toBeVisible();

  // The app password no longer works, and the row shows it was reported.
  const refused = await page.request.post("/api/v1/app-password/verify", { headers: { authorization: basic } });
  expect(refused.status()).toBe(401);
  await page.goto("/security");
  await hydrated(page);
  await expect(page.getByRole("region", { name: "App passwords" }).getByText("No app passwords.")).toBeVisible();
  await page.goto("/security/sign-ins");
  await hydrated(page);
  await expect(page.getByTestId("history-row").filter({ hasText: "Thunderbird" }).first()).toContainText("Reported");
  expect(errors).toEqual([]);
});

test("My sign-ins reads well on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, demoAccount("user"));
  await page.goto("/security/sign-ins");
  await hydrated(page);
  const row = page.getByTestId("history-row").first();
  await expect(row).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await expectAccessible(page);
});
