import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { demoAccount, expectAccessible, hydrated, signIn, watchConsole } from "./support";

const HEADER = "username,display_name,email,role,mfa_state,mobile,office";

/** A people file of `count` new people (unique to this run) and one bad row. */
function peopleFile(count: number): { name: string; buffer: Buffer; prefix: string } {
  const prefix = `imp${Date.now().toString(36)}`;
  const rows = [HEADER];
  for (let n = 0; n < count; n++) {
    const mobile = n % 3 === 0 ? `+31 6 ${String(20_000_000 + n).padStart(8, "0")}` : "";
    rows.push(`${prefix}-${n},Imported ${n},${prefix}-${n}@example.com,user,enabled,${mobile},`);
  }
  rows.push(`${prefix}-bad,Bad Row,${prefix}-bad@example.com,boss,,,`);
  return { name: `${prefix}.csv`, buffer: Buffer.from(rows.join("\n") + "\n", "utf8"), prefix };
}

test("an admin uploads a file, reads each row's problem, runs it with a progress bar and downloads the result", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await signIn(page, demoAccount("admin"));
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Import" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import people" })).toBeVisible();
  await expectAccessible(page);

  // A file that cannot be read: the reason beside the file field.
  await page.getByLabel("People file (CSV)").setInputFiles({ name: "wrong.csv", mimeType: "text/csv", buffer: Buffer.from("name,shoe size\nx,42\n") });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByTestId("import-file-error")).toContainText("\"shoe size\"");
  await expect(page.getByLabel("People file (CSV)")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  // The dry run: what would happen, and the bad row with its reason.
  const file = peopleFile(3000);
  await page.getByLabel("People file (CSV)").setInputFiles({ name: file.name, mimeType: "text/csv", buffer: file.buffer });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Import of ${file.name}` })).toBeVisible();
  await expect(page.getByTestId("plan-create")).toHaveText("3000");
  await expect(page.getByTestId("plan-problems")).toHaveText("1");
  const problem = page.getByTestId("import-problem");
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText(`${file.prefix}-bad`);
  await expect(problem).toContainText("unknown role \"boss\"");
  await expectAccessible(page);

  // The run: a progress bar that a reload brings back where the import stands.
  await hydrated(page);
  await page.getByTestId("run-import").click();
  const progress = page.getByTestId("import-progress");
  const result = page.getByTestId("import-result");
  await expect(progress.or(result)).toBeVisible({ timeout: 30_000 });
  if (await progress.isVisible()) {
    await expectAccessible(page);
    const before = Number(await progress.getAttribute("value"));
    await page.reload();
    await expect(progress.or(result)).toBeVisible();
    if (await progress.isVisible()) {
      expect(Number(await progress.getAttribute("value"))).toBeGreaterThanOrEqual(before);
      await expect(page.getByTestId("import-progress-text")).toContainText("of 3001 rows");
    }
  }
  await expect(result).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("result-created")).toHaveText("3000");
  await expect(page.getByTestId("result-failed")).toHaveText("1");
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the result (CSV)" }).click(),
  ]);
  const csv = readFileSync((await download.path())!, "utf8").trim().split("\n");
  expect(csv[0]).toBe("line,username,display_name,email,result,detail");
  expect(csv).toHaveLength(3002);
  expect(csv.filter((line) => line.includes(",created,"))).toHaveLength(3000);
  expect(csv[3001]).toContain(",failed,");

  // The new people are in the directory, with their phones set by the organisation.
  await page.goto(`/admin/users?q=${file.prefix}-0`);
  await page.getByTestId("person-row").first().getByRole("link").click();
  await expect(page.getByRole("region", { name: "Audit log" })).toContainText("created: role user, MFA state enabled");
  await page.goto("/admin/import");
  await expect(page.getByTestId("import-job").first()).toContainText("Done: 3000 created");
  expect(errors).toEqual([]);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the import pages fit the screen", async ({ page }) => {
    await signIn(page, demoAccount("admin"));
    await page.goto("/admin/import");
    await expect(page.getByRole("heading", { level: 1, name: "Import people" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
    const file = peopleFile(3);
    await page.getByLabel("People file (CSV)").setInputFiles({ name: file.name, mimeType: "text/csv", buffer: file.buffer });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await expect(page.getByTestId("import-problem")).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectAccessible(page);
  });
});
