import { expect, test } from "@playwright/test";
import { demoAccount, expectAccessible, hydrated, signIn, watchConsole } from "./support";

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the account page fits the screen without sideways scrolling", async ({ page }) => {
    await signIn(page, demoAccount("admin"));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  });
});

test("the sign-in form can be completed with the keyboard alone", async ({ page }) => {
  const account = demoAccount("helpdesk");
  await page.goto("/sign-in");
  await page.locator("body[data-hydrated='true']").waitFor({ state: "attached" });
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.keyboard.type(account.username);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(account.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the sign-in form still works as a plain form post", async ({ page }) => {
    const account = demoAccount("user");
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  });

  test("a wrong password is reported on the page after the plain form post", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Username").fill(demoAccount("admin").username);
    await page.getByLabel("Password").fill("not the right one");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("The username or password is incorrect.");
  });
});

test("the sign-in page loads the main bundle alone; a page with lazy islands loads their files", async ({ page }) => {
  const fetched = new Set<string>();
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith("/pkg/") && path.endsWith(".wasm")) fetched.add(path.slice("/pkg/".length));
  });
  await page.goto("/sign-in");
  await hydrated(page);
  expect([...fetched]).toEqual(["mfa-portal.wasm"]);

  await signIn(page, demoAccount("user"));
  fetched.clear();
  await page.goto("/security");
  await hydrated(page);
  const lazy = [...fetched].filter((file) => file.startsWith("split_"));
  expect(lazy.length).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Add authenticator app" }).click();
  await expect(page.getByText("confirm it's you first").or(page.getByLabel("Name for this app"))).toBeVisible();
});

test("a refusal from a form posted before the page was interactive survives hydration", async ({ browser }) => {
  // The post without JavaScript leaves the error in the address (`__err`).
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const before = await plain.newPage();
  await before.goto("/sign-in");
  await before.getByLabel("Username").fill(demoAccount("admin").username);
  await before.getByLabel("Password").fill("not the right one");
  await before.getByRole("button", { name: "Sign in" }).click();
  await expect(before.getByRole("alert")).toHaveText("The username or password is incorrect.");
  const address = before.url();
  expect(address).toContain("__err=");
  await plain.close();

  // The same address with JavaScript: the island starts with that error, and the
  // form then works in the browser.
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await page.goto(address);
  await hydrated(page);
  await expect(page.getByRole("alert")).toHaveText("The username or password is incorrect.");
  const account = demoAccount("helpdesk");
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
  expect(errors).toEqual([]);
  await page.close();
});
