// Starts the built portal binary on a free port with a fresh SQLite database in
// development mode, reads the demo accounts it prints, and waits until it is ready.
// Teardown stops it and checks that no demo password reached the server's log.
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { connect, createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const runDir = resolve(__dirname, ".run");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  return new Promise((ok, fail) => {
    const attempt = () => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.end();
        ok();
      });
      socket.once("error", () => {
        if (Date.now() > end) fail(new Error(`nothing listens on port ${port}: is aiosmtpd installed?`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

async function waitUntilReady(url: string, deadlineMs: number) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the portal did not become ready at ${url}`);
}

export default async function globalSetup() {
  const binary = process.env.E2E_SERVER_BIN ?? resolve(__dirname, "../target/debug/mfa-portal");
  const siteRoot = process.env.E2E_SITE_ROOT ?? resolve(__dirname, "../target/site");
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), "mfa-portal-e2e-"));
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, "secrets.txt"), "");
  const log = createWriteStream(join(runDir, "server.log"));
  let stdout = "";

  // A real SMTP server (Python's aiosmtpd, installed by scripts/test) keeps every
  // e-mail the portal sends in a Maildir the tests read (set-up links).
  const smtpPort = await freePort();
  const maildir = join(runDir, "mail");
  rmSync(maildir, { recursive: true, force: true });
  for (const sub of ["tmp", "new", "cur"]) mkdirSync(join(maildir, sub), { recursive: true });
  const smtp = spawn("python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  await waitForPort(smtpPort, 15_000);
  process.env.E2E_MAILDIR = maildir;
  process.env.E2E_SMTP_PORT = String(smtpPort);

  const server = spawn(binary, ["serve", "--dev"], {
    env: serverEnv(port, baseUrl, dataDir, siteRoot),
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (chunk) => (stdout += chunk.toString()));
  server.stderr.pipe(log);
  server.on("exit", (code) => {
    if (code !== null && code !== 0) console.error(`portal exited with ${code}; see ${join(runDir, "server.log")}`);
  });

  await waitUntilReady(baseUrl, 60_000);
  const accounts = parseDemoAccounts(stdout);
  if (accounts.length !== 3) throw new Error(`expected 3 demo accounts, got:\n${stdout}`);
  const env = serverEnv(port, baseUrl, dataDir, siteRoot);
  const extra = await addUser(binary, env, "e2e-totp", "extra", []);
  const enforced = await addUser(binary, env, "e2e-enforced", "enforced", ["--mfa-state", "enforced"]);
  const reporter = await addUser(binary, env, "e2e-reporter", "reporter", ["--mfa-state", "disabled"]);
  const phone = await addUser(binary, env, "e2e-phone", "phone", []);
  const caller = await addUser(binary, env, "e2e-caller", "caller", ["--mfa-state", "disabled"]);
  const push = await addUser(binary, env, "e2e-push", "push", []);
  const pushFraud = await addUser(binary, env, "e2e-push-fraud", "push-fraud", []);
  const added = [extra, enforced, reporter, phone, caller, push, pushFraud];
  writeFileSync(join(runDir, "demo.json"), JSON.stringify([...accounts, ...added]));
  process.env.E2E_BASE_URL = baseUrl;

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    smtp.kill("SIGTERM");
    const serverLog = readFileSync(join(runDir, "server.log"), "utf8");
    // The reporter's new password (set by the test) is recorded with the secrets.
    for (const account of [...accounts, ...added]) {
      if (serverLog.includes(account.password)) {
        throw new Error(`the password of ${account.username} appears in the server log`);
      }
    }
    // Seeds, codes and cookie values the tests handled (tests/support.ts recordSecret).
    const secretsFile = join(runDir, "secrets.txt");
    const secrets = existsSync(secretsFile) ? readFileSync(secretsFile, "utf8").split("\n").filter((s) => s.length >= 6) : [];
    if (secrets.length === 0) throw new Error("no secrets were recorded: the log check would be empty");
    const leaked = secrets.filter((secret) => serverLog.includes(secret));
    if (leaked.length > 0) throw new Error(`${leaked.length} secrets used by the tests appear in the server log`);
    console.log(`log check: ${secrets.length} recorded secrets and ${accounts.length + added.length} passwords absent from the server log`);
  };
}

function serverEnv(port: number, baseUrl: string, dataDir: string, siteRoot: string) {
  return {
    ...process.env,
    MFA_PORTAL_BIND: `127.0.0.1:${port}`,
    MFA_PORTAL_PUBLIC_URL: baseUrl,
    MFA_PORTAL_DATABASE_URL: `sqlite://${join(dataDir, "portal.db")}`,
    MFA_PORTAL_SECRET_KEY_FILE: join(dataDir, "secret.key"),
    MFA_PORTAL_SITE_ROOT: siteRoot,
    MFA_PORTAL_SIGN_IN_PER_IP_PER_MINUTE: "1000",
    MFA_PORTAL_SMTP_HOST: "127.0.0.1",
    MFA_PORTAL_SMTP_PORT: process.env.E2E_SMTP_PORT ?? "25",
    MFA_PORTAL_SMTP_TLS: "none",
    MFA_PORTAL_OUTBOX_POLL_SECONDS: "1",
    // Web Push on, so the web authenticator offers it (no browser subscribes: the
    // test browser has no push service to reach).
    MFA_PORTAL_VAPID_PRIVATE_KEY_FILE: vapidKeyFile(dataDir),
    MFA_PORTAL_VAPID_SUBJECT: "mailto:security@example.com",
  };
}

/** A P-256 key in a SEC1 PEM file, as `openssl ecparam -genkey` writes it. */
function vapidKeyFile(dataDir: string): string {
  const path = join(dataDir, "vapid.pem");
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    writeFileSync(path, privateKey.export({ type: "sec1", format: "pem" }), { mode: 0o600 });
  }
  return path;
}

/** An extra account made with the command line, for tests that change its methods. */
async function addUser(binary: string, env: NodeJS.ProcessEnv, username: string, role: string, args: string[]) {
  const password = `e2e ${Math.random().toString(36).slice(2)} passphrase`;
  const cli = spawn(binary, ["user", "add", "--username", username, "--password-stdin", ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  cli.stderr.on("data", (chunk) => (errors += chunk.toString()));
  cli.stdin.end(`${password}\n`);
  const code: number = await new Promise((r) => cli.once("exit", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`user add failed: ${errors}`);
  return { role, username, password };
}

function parseDemoAccounts(output: string) {
  const lines = output.split("\n").map((l) => l.trim().split(/\s+/));
  return lines
    .filter((parts) => parts.length === 3 && ["user", "helpdesk", "admin"].includes(parts[0]))
    .map(([role, username, password]) => ({ role, username, password }));
}
