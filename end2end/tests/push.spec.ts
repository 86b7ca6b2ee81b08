import { expect, test, type Browser, type Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type DemoAccount, demoAccount, enterPassword, expectAccessible, hydrated, recordSecret, watchConsole } from "./support";

/**
 * Two browsers: the portal, and a phone running the web authenticator
 * (/authenticator), which speaks the push protocol with its own WebCrypto key.
 */
async function openPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  return context.newPage();
}

/** Registers the web authenticator at first sign-in through the link beside the QR code. */
async function registerWebAuthenticator(page: Page, phone: Page, account: DemoAccount) {
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await hydrated(page);
  const pushWay = page.locator("details", { hasText: "Use an app that approves notifications" });
  await pushWay.getByText("Use an app that approves notifications").click();
  await pushWay.getByLabel("Name for this device").fill("This browser");
  await pushWay.getByRole("button", { name: "Continue" }).click();
  const link = page.getByTestId("web-authenticator-link");
  await expect(link).toBeVisible();
  await expect(page.locator(".qr svg")).toBeVisible();
  await expectAccessible(page);
  const href = (await link.getAttribute("href"))!;
  const uri = decodeURIComponent(href.split("#enrol=")[1]);
  expect(uri).toMatch(/^otpauth:\/\/pipush\/e2e-push(-fraud)?\?url=.*%2Fdevice%2Fpush&ttl=10&issuer=MFA%20Portal&enrollment_credential=[0-9a-f]{40}&v=1&serial=MFAP[0-9A-F]{12}&sslverify=0&poll_only=True$/);
  recordSecret(/enrollment_credential=([0-9a-f]{40})/.exec(uri)![1]);

  // The phone opens the link; the set-up travels in the fragment, never to a server.
  await phone.goto(href);
  await expect(phone.locator("body[data-authenticator-ready='true']")).toBeAttached({ timeout: 30_000 });
  expect(phone.url()).not.toContain("enrol=");
  const testNumber = (await page.getByTestId("push-test-number").textContent({ timeout: 15_000 }))!;
  const request = phone.locator(".request");
  await expect(request).toBeVisible({ timeout: 15_000 });
  await expectAccessible(phone);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await request.getByRole("button", { name: testNumber, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible({ timeout: 15_000 });
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
}

/** The number the sign-in page shows once the notification went out. */
async function sendNotification(page: Page): Promise<string> {
  await expect(page.getByRole("heading", { level: 1, name: "Verify it's you" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Send notification" }).click();
  const number = page.getByTestId("push-number");
  await expect(number).toBeVisible();
  await expect(page.getByTestId("push-status")).toHaveText("Waiting for your answer in the app…");
  return (await number.textContent())!;
}

/** Kept e-mails whose subject starts so (the SMTP server's Maildir). */
function mailsWithSubject(subject: string): string[] {
  const maildir = join(process.env.E2E_MAILDIR ?? join(__dirname, "../.run/mail"), "new");
  return readdirSync(maildir)
    .map((name) => readFileSync(join(maildir, name), "utf8"))
    .filter((mail) => mail.includes(`Subject: ${subject}`));
}

test("the web authenticator is set up from the QR's link, approves a sign-in by the number and shows offline codes", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const phone = await openPhone(browser);
  const phoneErrors = watchConsole(phone);
  const account = demoAccount("push");
  await registerWebAuthenticator(page, phone, account);
  await expect(phone.locator(".request")).toHaveCount(0);
  // The portal has a VAPID key: the page offers notifications while it is closed.
  await expect(phone.getByRole("heading", { name: "Requests while this page is closed" })).toBeVisible({ timeout: 15_000 });
  await expect(phone.getByRole("button", { name: "Notify me while this page is closed" })).toBeVisible();
  await expect(phone.locator("#background-state")).toHaveText("Off: requests reach you while this page is open.");
  await expectAccessible(phone);
  await page.goto("/security");
  await expect(page.locator(".methods").getByText("Authenticator app with notifications")).toBeVisible();
  await expect(page.locator(".methods").getByText("This browser (offline codes)", { exact: true })).toBeVisible();
  await signOut(page);

  // Sign in: the notification is the default; the number is picked on the phone.
  await enterPassword(page, account);
  const number = await sendNotification(page);
  await expectAccessible(page);
  const request = phone.locator(".request");
  await expect(request).toBeVisible({ timeout: 15_000 });
  await expect(request).toContainText("Sign in to MFA Portal from");
  await expectAccessible(phone);
  await request.getByRole("button", { name: number, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible({ timeout: 15_000 });
  await signOut(page);

  // Offline: a code from the seed the authenticator received at set-up.
  await enterPassword(page, account);
  await hydrated(page);
  await page.getByText("Sign in another way").click();
  await page.getByRole("link", { name: /offline codes/ }).click();
  await hydrated(page);
  const code = phone.locator(".offline-code");
  await expect(code).toHaveAttribute("data-code", /^\d{6}$/);
  const offline = (await code.getAttribute("data-code"))!;
  recordSecret(offline);
  await page.getByLabel("Code", { exact: true }).fill(offline);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  expect(errors).toEqual([]);
  expect(phoneErrors).toEqual([]);
});

test("no answer times out; deny and report fraud blocks further notifications and e-mails the admins", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const phone = await openPhone(browser);
  const account = demoAccount("push-fraud");
  await registerWebAuthenticator(page, phone, account);
  await signOut(page);

  // Nobody answers: after a minute the page says so and offers another.
  await enterPassword(page, account);
  await sendNotification(page);
  await expect(page.getByTestId("push-status")).toHaveText("No answer within 60 seconds. Send another, or sign in another way.", { timeout: 75_000 });
  await expectAccessible(page);

  await page.getByRole("button", { name: "Send another notification" }).click();
  await expect(page.getByTestId("push-status")).toHaveText("Waiting for your answer in the app…");
  const number = (await page.getByTestId("push-number").textContent())!;
  // The new prompt (the expired one leaves the phone at its next poll).
  const request = phone.locator(".request", { has: phone.getByRole("button", { name: number, exact: true }) });
  await expect(request).toHaveCount(1, { timeout: 15_000 });
  await expect(phone.locator(".request")).toHaveCount(1, { timeout: 15_000 });
  await request.getByRole("button", { name: "Deny and report fraud" }).click();
  await expect(page.getByTestId("push-status")).toHaveText("You reported this sign-in as fraud. It was denied and your administrator was told.", { timeout: 25_000 });
  await expectAccessible(page);
  await expect(phone.getByRole("status")).toContainText("Denied and reported");
  await expectAccessible(phone);

  await expect.poll(() => mailsWithSubject("Fraud report: e2e-push-fraud reported an app notification as fraud").length, { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => mailsWithSubject("You reported a sign-in notification as fraud").length, { timeout: 20_000 }).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Send another notification" }).click();
  await expect(page.getByText("Notifications to your app are blocked because a sign-in was reported as fraud.")).toBeVisible();
  await expectAccessible(page);
  await page.waitForTimeout(2500);
  await expect(phone.locator(".request")).toHaveCount(0);
});
