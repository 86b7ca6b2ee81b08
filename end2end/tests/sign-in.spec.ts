import { expect, test } from "@playwright/test";
import { demoAccount, expectAccessible, hydrated, signIn, watchConsole } from "./support";

const navigation = {
  user: { Admin: false, Helpdesk: false },
  helpdesk: { Admin: false, Helpdesk: true },
  admin: { Admin: true, Helpdesk: true },
} as const;

for (const role of ["user", "helpdesk", "admin"] as const) {
  test(`a demo ${role} signs in, sees their navigation and signs out`, async ({ page }) => {
    const account = demoAccount(role);
    const consoleErrors = watchConsole(page);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    await expectAccessible(page);

    await signIn(page, account);
    await expect(page.getByText(account.username, { exact: true })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "My account" })).toBeVisible();
    for (const [area, shown] of Object.entries(navigation[role])) {
      await expect(nav.getByRole("link", { name: area })).toHaveCount(shown ? 1 : 0);
    }
    await expectAccessible(page);

    for (const [area, shown] of Object.entries(navigation[role])) {
      if (!shown) continue;
      await nav.getByRole("link", { name: area }).click();
      await expect(page.locator(".area-name")).toHaveText(area);
      await expectAccessible(page);
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await page.goto("/account");
    await expect(page).toHaveURL(/\/sign-in\?next=\/account/);
    expect(consoleErrors).toEqual([]);
  });
}

test("a wrong password shows an error and keeps the person out", async ({ page }) => {
  const account = demoAccount("user");
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill("definitely not it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The username or password is incorrect.");
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page);
});

test("an empty username is reported next to the field", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Password").fill("something long");
  await page.getByRole("button", { name: "Sign in" }).click();
  const username = page.getByLabel("Username");
  await expect(username).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#field-username-error")).toHaveText("Enter your username.");
  await expectAccessible(page);
});

test("a plain user asking for the admin area gets an access-denied page", async ({ page }) => {
  await signIn(page, demoAccount("user"));
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expectAccessible(page);
});

test("an unknown address shows a page-not-found page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectAccessible(page);
});
