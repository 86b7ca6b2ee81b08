import { expect, test } from "@playwright/test";
import { demoAccount, expectAccessible, signIn, watchConsole } from "./support";

// RFC 4226's test seed as hex; serials unique to this run.
const SEED_HEX = "3132333435363738393031323334353637383930";

test("an admin uploads a token seed file and reads what it imported and refused", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hardware tokens" })).toBeVisible();
  await expectAccessible(page);

  const serial = `E2E-${Date.now().toString(36)}`;
  const file = `serial,secret,type,digits,period\n${serial},${SEED_HEX},totp,6,30\n${serial}-BAD,zz,totp,6,30\n`;
  await page.getByLabel("Seed file (CSV)").setInputFiles({ name: "tokens.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Upload tokens" }).click();
  const report = page.getByTestId("token-import-report");
  await expect(report).toContainText("1 tokens imported, 0 already known");
  await expect(report).toContainText(`Line 3 (${serial}-BAD): Secret`);
  await expect(page.getByTestId("unassigned-token").filter({ hasText: serial })).toContainText("Time-based (TOTP), 6 digits, 30 s");
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the tokens page fits the screen", async ({ page }) => {
    await signIn(page, demoAccount("admin"));
    await page.goto("/admin/tokens");
    await expect(page.getByRole("heading", { level: 1, name: "Hardware tokens" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
  });
});
