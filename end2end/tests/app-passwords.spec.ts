import { expect, test } from "@playwright/test";
import { demoAccount, expectAccessible, hydrated, recordSecret, signIn } from "./support";

test("an app password is created once, used by an app, and revoked", async ({ page }) => {
  const account = demoAccount("helpdesk");
  await signIn(page, account);
  await page.goto("/security");
  await hydrated(page);
  const section = page.getByRole("region", { name: "App passwords" });
  await section.getByLabel("Name of the app").fill("Outlook on laptop");
  await section.getByRole("button", { name: "Create app password" }).click();
  const shown = page.getByTestId("app-password");
  await expect(shown).toBeVisible();
  const password = (await shown.textContent())!.trim();
  recordSecret(password);
  expect(password).toMatch(/^[a-z2-7]{7}(-[a-z2-7]{7}){3}$/);
  await expect(section.getByText("It will not be shown again.")).toBeVisible();
  await expectAccessible(page);

  const basic = `Basic ${Buffer.from(`${account.username}:${password}`).toString("base64")}`;
  const use = await page.request.post("/api/v1/app-password/verify", { headers: { authorization: basic } });
  expect(use.status()).toBe(200);
  expect(await use.json()).toEqual({ result: "accepted" });

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("app-password")).toHaveCount(0);
  await expect(section.getByText(/last used .* from /)).toBeVisible();
  await section.getByRole("button", { name: "Revoke Outlook on laptop" }).click();
  await expect(section.getByText("No app passwords.")).toBeVisible();
  const refused = await page.request.post("/api/v1/app-password/verify", { headers: { authorization: basic } });
  expect(refused.status()).toBe(401);
});
