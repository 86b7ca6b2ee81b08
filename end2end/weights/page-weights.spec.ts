// A benchmark, not a test: prints how many wasm and JS files each page fetches from
// /pkg/ and their bytes (as sent, compressed, and unpacked). Results are recorded in
// docs/benchmarks.md; the sign-in page's budget is checked by scripts/bench.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { demoAccount, enterPassword, hydrated, recordSecret, signIn } from "../tests/support";

type Weight = { files: number; sent: number; unpacked: number };

async function weigh(page: Page, visit: () => Promise<void>): Promise<Weight> {
  const pending: Promise<Weight>[] = [];
  const listener = (response: import("@playwright/test").Response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith("/pkg/") || !/\.(wasm|js)$/.test(path)) return;
    pending.push(
      (async () => {
        const sizes = await response.request().sizes();
        const body = await response.body();
        return { files: 1, sent: sizes.responseBodySize, unpacked: body.length };
      })(),
    );
  };
  page.on("response", listener);
  await visit();
  await hydrated(page);
  page.off("response", listener);
  const all = await Promise.all(pending);
  return all.reduce((a, b) => ({ files: a.files + b.files, sent: a.sent + b.sent, unpacked: a.unpacked + b.unpacked }), {
    files: 0,
    sent: 0,
    unpacked: 0,
  });
}

function report(name: string, w: Weight) {
  console.log(`page weight ${name}: ${w.files} files, ${w.sent} bytes sent, ${w.unpacked} bytes unpacked`);
}

/** A new tab in `context` that never uses the browser's cache. */
async function uncachedPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  return page;
}

test("what each page downloads", async ({ browser }) => {
  // The passwords typed here join the teardown's check that none reached the log.
  for (const role of ["enforced", "user"] as const) recordSecret(demoAccount(role).password);
  const anonymous = await uncachedPage(await browser.newContext());
  report("/sign-in", await weigh(anonymous, () => anonymous.goto("/sign-in").then(() => undefined)));

  // The register page is reached by signing in; its weight is measured on a new
  // tab of that half-signed-in browser.
  const registering = await browser.newContext();
  const first = await registering.newPage();
  await enterPassword(first, demoAccount("enforced"));
  await expect(first.getByRole("heading", { level: 1, name: "More information required" })).toBeVisible();
  const register = await uncachedPage(registering);
  report("/sign-in/register", await weigh(register, () => register.goto("/sign-in/register").then(() => undefined)));

  const user = await browser.newContext();
  await signIn(await user.newPage(), demoAccount("user"));
  for (const path of ["/account", "/security", "/security/sign-ins", "/dev/phone"]) {
    const page = await uncachedPage(user);
    report(path, await weigh(page, () => page.goto(path).then(() => undefined)));
  }
});
