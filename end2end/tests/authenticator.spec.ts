import { expect, test } from "@playwright/test";
import jsQR from "jsqr";
import * as OTPAuth from "otpauth";
import { PNG } from "pngjs";
import {
  demoAccount,
  enterPassword,
  expectAccessible,
  hydrated,
  recordCookies,
  recordSecret,
  watchConsole,
} from "./support";

/** Reads the QR code off the page the way a phone camera would: from pixels. */
async function scanQr(page: import("@playwright/test").Page): Promise<string> {
  const png = PNG.sync.read(await page.locator(".qr").screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error("no QR code found in the screenshot");
  return decoded.data;
}

/** Waits until the app would show a code for a new time step, so it was never used. */
async function freshCode(totp: OTPAuth.TOTP, usedCounter: number) {
  while (totp.counter() <= usedCounter) await new Promise((r) => setTimeout(r, 500));
  return { code: totp.generate(), counter: totp.counter() };
}

test("an enabled person registers an app by scanning the QR code at first sign-in, then signs in with it", async ({ page }) => {
  test.setTimeout(120_000);
  const account = demoAccount("extra");
  const consoleErrors = watchConsole(page);
  // MFA enabled and no method yet (Entra's meaning): registration comes first.
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  await page.getByLabel("Name for this app").fill("Phone");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator(".qr svg")).toBeVisible();
  await expectAccessible(page);

  const uri = await scanQr(page);
  expect(uri).toMatch(/^otpauth:\/\/totp\/MFA%20Portal:e2e-totp\?secret=[A-Z2-7]{32}&issuer=MFA%20Portal&algorithm=SHA1&digits=6&period=30$/);
  const totp = OTPAuth.URI.parse(uri) as OTPAuth.TOTP;
  const shownSecret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
  expect(totp.secret.base32).toBe(shownSecret);
  recordSecret(shownSecret);

  const first = { code: totp.generate(), counter: totp.counter() };
  recordSecret(first.code);
  await page.getByLabel("Code", { exact: true }).fill(first.code);
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  // Registered, so the policy moved the state from enabled to enforced.
  await expect(page.getByText("Enforced", { exact: true })).toBeVisible();
  await page.goto("/security");
  await expect(page.locator(".methods").getByText("Phone", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "Verify it's you" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  await page.getByLabel("Code", { exact: true }).fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText("not right");

  const fresh = await freshCode(totp, first.counter);
  recordSecret(fresh.code);
  await page.getByLabel("Code", { exact: true }).fill(`${fresh.code.slice(0, 3)} ${fresh.code.slice(3)}`);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  await expect(page.getByText("1 method")).toBeVisible();
  await recordCookies(page);
  expect(consoleErrors.filter((e) => !e.includes("status of 400"))).toEqual([]);
});

test("an enforced account without a method registers one before entering the portal", async ({ page }) => {
  const account = demoAccount("enforced");
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  const blocked = await page.request.post("/api/account_overview", { headers: { origin: new URL(page.url()).origin } });
  expect(blocked.status()).toBe(401);

  await page.getByLabel("Name for this app").fill("Work phone");
  await page.getByRole("button", { name: "Continue" }).click();
  const totp = OTPAuth.URI.parse(await scanQr(page)) as OTPAuth.TOTP;
  recordSecret(totp.secret.base32);
  await expectAccessible(page);
  const code = totp.generate();
  recordSecret(code);
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  await expect(page.getByText("Enforced", { exact: true })).toBeVisible();
  await recordCookies(page);
});
