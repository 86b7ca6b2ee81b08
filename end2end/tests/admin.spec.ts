import { expect, test } from "@playwright/test";
import { demoAccount, expectAccessible, hydrated, signIn, watchConsole } from "./support";

test("an admin finds a person and opens their page", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
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
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("MFA state enabled -> enforced");
  await expectAccessible(page);

  // Back as it was, for the tests that sign this person in.
  await hydrated(page);
  await page.getByRole("region", { name: "Actions" }).getByLabel("MFA state").selectOption("enabled");
  await page.getByRole("region", { name: "Actions" }).getByRole("button", { name: "Save MFA state" }).click();
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("MFA state enforced -> enabled");
  expect(errors).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the people list and a person's page fit the screen", async ({ page }) => {
    await signIn(page, demoAccount("admin"));
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
