import { expect, test, type Page } from "@playwright/test";
import jsQR from "jsqr";
import * as OTPAuth from "otpauth";
import { PNG } from "pngjs";
import { demoAccount, expectAccessible, hydrated, recordCookies, recordSecret, signIn, watchConsole } from "./support";

/** Reads the QR code off the page the way a phone camera would: from pixels. */
async function scanQr(page: Page): Promise<OTPAuth.TOTP> {
  const png = PNG.sync.read(await page.locator(".qr").screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error("no QR code found in the screenshot");
  const totp = OTPAuth.URI.parse(decoded.data) as OTPAuth.TOTP;
  recordSecret(totp.secret.base32);
  return totp;
}

/** The person adds an app on Security info and returns it (as their phone has it). */
async function addApp(page: Page, name: string): Promise<{ totp: OTPAuth.TOTP; counter: number }> {
  await hydrated(page);
  await page.getByRole("button", { name: "Add authenticator app" }).click();
  await page.getByLabel("Name for this app").fill(name);
  await page.getByRole("button", { name: "Continue" }).click();
  const totp = await scanQr(page);
  const code = totp.generate();
  recordSecret(code);
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.locator(".methods").getByText(name, { exact: true })).toBeVisible();
  return { totp, counter: totp.counter() };
}

/** Waits for a time step the app has not shown yet, so the code was never used. */
async function freshCode(totp: OTPAuth.TOTP, usedCounter: number) {
  while (totp.counter() <= usedCounter) await new Promise((r) => setTimeout(r, 500));
  const code = totp.generate();
  recordSecret(code);
  return code;
}

test("the helpdesk finds a caller, verifies them by a code, views their portal read-only, issues a pass, and the caller signs in with it and registers a new app", async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchConsole(page);
  const caller = demoAccount("caller");

  // The caller once set up an app; the test keeps its seed as the phone would.
  await signIn(page, caller);
  await page.goto("/security");
  const phone = await addApp(page, "Old phone");
  await page.getByRole("button", { name: "Sign out" }).click();

  // The agent searches for the caller.
  await signIn(page, demoAccount("helpdesk"));
  await page.goto("/helpdesk");
  await expectAccessible(page);
  await page.getByLabel("Name, username or e-mail").fill("E2E-CALLER");
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId("found-row").filter({ hasText: caller.username });
  await expect(row).toContainText("Active");
  await expectAccessible(page);
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 2, name: "Status" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Status" }).getByText("Old phone · Authenticator app")).toBeVisible();
  await expect(page.getByText("Verify the caller to issue a temporary access pass.")).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);

  // A misread code is refused beside the field, with its result code.
  await page.getByLabel("Code the caller reads out").fill("000000");
  await page.getByRole("button", { name: "Check the code" }).click();
  await expect(page.locator("#field-code-error")).toContainText("138 OATH Code Incorrect");
  await expectAccessible(page);

  const code = await freshCode(phone.totp, phone.counter);
  await page.getByLabel("Code the caller reads out").fill(code);
  await page.getByRole("button", { name: "Check the code" }).click();
  await expect(page.getByTestId("caller-verified")).toContainText("Caller verified by a code from “Old phone”");
  await expectAccessible(page);

  // View the portal as the caller: read-only, under a banner, on every page.
  await hydrated(page);
  await page.getByLabel("Reason").fill("ticket E2E-1");
  await page.getByRole("button", { name: "View the portal as this person" }).click();
  const banner = page.getByTestId("viewing-banner");
  await expect(banner).toContainText("Reason: ticket E2E-1");
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/security");
  await expect(banner).toBeVisible();
  await expect(page.locator(".methods").getByText("Old phone", { exact: true })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  // Forms are there, as the person sees them, but nothing they post is taken.
  await page.getByText("Rename or remove").click();
  await page.getByLabel("New name").fill("Renamed by the agent");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("alert")).toContainText("Changes are turned off in this view.");
  await page.reload();
  await expect(page.locator(".methods").getByText("Old phone", { exact: true })).toBeVisible();
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(banner).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("button", { name: "Stop viewing" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Status" })).toBeVisible();
  await expect(page.getByTestId("viewing-banner")).toHaveCount(0);

  await hydrated(page);
  await page.getByRole("button", { name: "Issue a temporary access pass" }).click();
  const passBox = page.getByTestId("access-pass");
  await expect(passBox).toHaveText(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  const pass = (await passBox.textContent())!;
  recordSecret(pass.replace(/-/g, ""));
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByTestId("access-pass")).toHaveCount(0);
  await expect(page.getByText(/A temporary access pass works until/)).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // The caller signs in with the pass (read out with capitals and spaces).
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Sign in with a temporary access pass from your helpdesk" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with a temporary access pass" })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel("Username").fill(caller.username);
  await page.getByRole("textbox", { name: "Temporary access pass" }).fill(pass.toUpperCase().replace(/-/g, " "));
  await page.getByRole("button", { name: "Sign in with the pass" }).click();
  await expect(page.getByTestId("signed-in-with-pass")).toBeVisible();
  await expectAccessible(page);
  await addApp(page, "New phone");
  await recordCookies(page);
  await page.getByRole("button", { name: "Sign out" }).click();

  // The pass worked once.
  await page.goto("/sign-in/pass");
  await hydrated(page);
  await page.getByLabel("Username").fill(caller.username);
  await page.getByRole("textbox", { name: "Temporary access pass" }).fill(pass);
  await page.getByRole("button", { name: "Sign in with the pass" }).click();
  await expect(page.locator("#field-pass-error")).toContainText("do not match a valid pass");
  await expectAccessible(page);
  expect(errors.filter((e) => !e.includes("status of 400") && !e.includes("status of 403"))).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the helpdesk's search and a caller's page fit the screen", async ({ page }) => {
    await signIn(page, demoAccount("helpdesk"));
    await page.goto(`/helpdesk?q=${demoAccount("user").username}`);
    await page.getByTestId("found-row").first().getByRole("link").click();
    await expect(page.getByRole("heading", { level: 2, name: "Help" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    await page.goto("/sign-in/pass");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});
