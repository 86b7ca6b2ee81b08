import { expect, test, type Page } from "@playwright/test";
import { demoAccount, enterPassword, expectAccessible, hydrated, recordSecret, watchConsole } from "./support";

/** Reads the newest text on the development phone, in a second page. */
async function newestTextCode(page: Page): Promise<string> {
  const phone = await page.context().newPage();
  await phone.goto("/dev/phone");
  await hydrated(phone);
  await expect(phone.getByRole("heading", { level: 1, name: "Development phone" })).toBeVisible();
  const text = phone.locator("li.dev-message[data-kind='sms']").first();
  await expect(text).toContainText("+31612345678");
  const body = (await text.locator(".dev-body").textContent()) ?? "";
  await expectAccessible(phone);
  await phone.close();
  const code = body.match(/\d{6}/)?.[0];
  if (!code) throw new Error(`no code in ${body}`);
  recordSecret(code);
  return code;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

test("add a phone, make texts the default, sign in by text, and plan a trip", async ({ page }) => {
  const errors = watchConsole(page);
  const account = demoAccount("phone");
  // MFA enabled and no method yet: the phone is registered at the first sign-in.
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  await hydrated(page);
  await page.getByText("Use my phone instead").click();
  const adding = page.locator("details.other-ways", { hasText: "Use my phone instead" });
  await expect(adding).toContainText("weaker than an authenticator app");
  await expect(adding.getByLabel("Country or region")).toHaveValue("NL");
  await adding.getByLabel("Phone number").fill("0900 1234567");
  await adding.getByRole("button", { name: "Next" }).click();
  await expect(adding.getByText("Premium-rate")).toBeVisible();
  await expect(adding.getByLabel("Phone number")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await adding.getByLabel("Phone number").fill("06 12345678");
  await adding.getByRole("button", { name: "Next" }).click();
  await expect(adding.getByText("We texted a 6-digit code to +31 6 12345678")).toBeVisible();
  await expectAccessible(page);
  await adding.getByLabel("Code from the text or call").fill(await newestTextCode(page));
  await adding.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();

  await page.goto("/security");
  await hydrated(page);
  const phones = page.getByRole("region", { name: "Phones" });
  await expect(phones.locator("li.method")).toContainText("+31 6 12345678");
  await expect(phones.locator("li.method")).toContainText("Mobile phone");

  const defaults = page.getByRole("region", { name: "Default sign-in method" });
  await defaults.getByLabel("Start sign-in with").selectOption("sms");
  await defaults.getByRole("button", { name: "Save default" }).click();
  await expect(defaults.getByRole("status")).toContainText("Sign-in starts with \u201cText a code to my phone\u201d");
  await expectAccessible(page);

  // Sign out, and in again with a text.
  await page.context().clearCookies();
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "Verify it's you" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("Text a code to +31")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByText(/We texted a 6-digit code to \+31 •+ 78/)).toBeVisible();
  await page.getByLabel("Code from the text or call").fill(await newestTextCode(page));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();

  // Plan a trip: calls while away.
  await page.goto("/security");
  await hydrated(page);
  const section = page.getByRole("region", { name: "Default sign-in method" });
  await section.getByLabel("First day").fill(isoDay(1));
  await section.getByLabel("Last day").fill(isoDay(3));
  await section.getByLabel("Method while away").selectOption("phone_call");
  await section.getByLabel("Note (optional)").fill("Conference without roaming");
  await section.getByRole("button", { name: "Plan trip" }).click();
  const trip = section.locator("ul.travel-windows li").first();
  await expect(trip).toContainText(`${isoDay(1)} to ${isoDay(3)}`);
  await expect(trip).toContainText("Upcoming");
  await expect(trip).toContainText("Call my phone");
  await expectAccessible(page);
  // An overlapping trip is refused next to its field.
  await section.getByLabel("First day").fill(isoDay(2));
  await section.getByLabel("Last day").fill(isoDay(5));
  await section.getByRole("button", { name: "Plan trip" }).click();
  await expect(section.getByText("overlaps one you already planned")).toBeVisible();
  await expectAccessible(page);
  // The two refusals above (premium number, overlapping trip) answer 400, which the
  // browser logs; nothing else may appear.
  const refusals = errors.filter((e) => e.includes("status of 400 (Bad Request)"));
  expect(refusals).toHaveLength(2);
  expect(errors.filter((e) => !refusals.includes(e))).toEqual([]);
});

test("a call on the development phone is answered with the number the page shows and signs the person in", async ({ page }) => {
  const errors = watchConsole(page);
  const account = demoAccount("phone");
  await enterPassword(page, account);
  await hydrated(page);
  await page.getByText("Sign in another way").click();
  await page.getByRole("link", { name: /^Call \+31/ }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Call me" }).click();
  await expect(page.getByText("type the number below on the keypad")).toBeVisible();
  const shown = (await page.getByTestId("match-number").innerText()).trim();
  expect(shown).toMatch(/^[1-9][0-9]$/);
  await expect(page.getByRole("status")).toContainText("Waiting for your answer");
  await expectAccessible(page);

  const phone = await page.context().newPage();
  await phone.goto("/dev/phone");
  await hydrated(phone);
  const call = phone.locator("li.dev-message[data-kind='call']").first();
  await expect(call).toContainText("two-digit number");
  await expectAccessible(phone);
  await call.getByLabel("Keys to type").fill(`${shown}#`);
  await call.getByRole("button", { name: "Type keys" }).click();
  await expect(phone.locator("li.dev-message[data-kind='call']").first()).toContainText(`Answered: ${shown}#`);
  await phone.close();

  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible({ timeout: 10_000 });
  expect(errors).toEqual([]);
});
