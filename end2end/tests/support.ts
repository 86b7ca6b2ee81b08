import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { appendFileSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

export type DemoAccount = { role: "user" | "helpdesk" | "admin" | "extra" | "enforced" | "reporter" | "phone" | "caller" | "push" | "push-fraud"; username: string; password: string };

export function demoAccount(role: DemoAccount["role"]): DemoAccount {
  const accounts: DemoAccount[] = JSON.parse(readFileSync(resolve(__dirname, "../.run/demo.json"), "utf8"));
  const account = accounts.find((a) => a.role === role);
  if (!account) throw new Error(`no demo ${role}`);
  return account;
}

/** Waits until the wasm has hydrated the page, so handlers are live. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated='true']")).toBeAttached({ timeout: 15_000 });
}

/** No serious or critical WCAG 2.2 AA violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = blocking.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(described).toEqual([]);
}

/**
 * Collects console errors (CSP violations, failed loads, hydration panics) so a test
 * can assert the page ran cleanly.
 */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

export async function signIn(page: Page, account: DemoAccount) {
  await enterPassword(page, account);
  await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
}

export async function enterPassword(page: Page, account: DemoAccount) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Records a secret the test handled (seed, code, cookie value). The global teardown
 * fails the run if any of them appears in the server's log.
 */
export function recordSecret(value: string) {
  appendFileSync(resolve(__dirname, "../.run/secrets.txt"), `${value}\n`);
}

/** Records the session and remembered-device cookie values of the page's browser. */
export async function recordCookies(page: Page) {
  for (const cookie of await page.context().cookies()) recordSecret(cookie.value);
}
