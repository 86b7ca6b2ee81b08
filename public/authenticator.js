// MFA Portal web authenticator: the privacyIDEA PUSH protocol (version 1, poll
// only) in the browser. Each account's RSA key is a non-extractable WebCrypto key
// kept in IndexedDB: this page can sign with it, nobody can read it out. The
// portal's key checks every request before it is shown; answers and polls are
// signed. Offline codes come from a seed delivered at enrolment (RFC 6238).

const DB_NAME = "mfa-portal-authenticator";
const STORE = "accounts";
const POLL_MS = 2000;
const KEY_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const statusBox = document.getElementById("authenticator-status");
const requestsBox = document.getElementById("requests");
const accountsBox = document.getElementById("accounts");
const shown = new Map(); // nonce -> request element
const encoder = new TextEncoder();

function say(text, isError = false) {
  statusBox.textContent = text;
  statusBox.className = isError ? "alert alert-error" : "auth-status";
}

// --- encodings -------------------------------------------------------------

function base32Encode(bytes) {
  let bits = 0, value = 0, out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += "=";
  return out;
}

function base32Decode(text) {
  const clean = text.replace(/=+$/, "").toUpperCase();
  let bits = 0, value = 0;
  const out = [];
  for (const ch of clean) {
    const index = B32.indexOf(ch);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

function base64Encode(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Decode(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function derLength(n) {
  if (n < 128) return [n];
  const bytes = [];
  while (n > 0) {
    bytes.unshift(n & 255);
    n >>= 8;
  }
  return [0x80 | bytes.length, ...bytes];
}

// The portal sends its key as PKCS#1 (as the apps read it); WebCrypto imports a
// SubjectPublicKeyInfo, which wraps it: SEQUENCE { rsaEncryption, BIT STRING }.
function spkiFromPkcs1(pkcs1) {
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const bitString = [0x03, ...derLength(pkcs1.length + 1), 0x00, ...pkcs1];
  const body = [...algorithm, ...bitString];
  return new Uint8Array([0x30, ...derLength(body.length), ...body]);
}

// --- storage ---------------------------------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "serial" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}

const allAccounts = () => withStore("readonly", (s) => s.getAll());
const saveAccount = (account) => withStore("readwrite", (s) => s.put(account));
const forgetAccount = (serial) => withStore("readwrite", (s) => s.delete(serial));

// --- crypto ----------------------------------------------------------------

async function sign(account, text) {
  const signature = await crypto.subtle.sign(KEY_ALGORITHM, account.privateKey, encoder.encode(text));
  return base32Encode(new Uint8Array(signature));
}

async function signedByPortal(account, text, signature) {
  try {
    return await crypto.subtle.verify(KEY_ALGORITHM, account.serverKey, base32Decode(signature), encoder.encode(text));
  } catch {
    return false;
  }
}

async function totp(account, unixSeconds) {
  const counter = Math.floor(unixSeconds / 30);
  const message = new Uint8Array(8);
  new DataView(message.buffer).setUint32(4, counter);
  new DataView(message.buffer).setUint32(0, Math.floor(counter / 2 ** 32));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", account.offlineKey, message));
  const offset = mac[19] & 15;
  const number = ((mac[offset] & 127) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(number % 1_000_000).padStart(6, "0");
}

// --- enrolment -------------------------------------------------------------

async function enrol(uri) {
  const parsed = new URL(uri);
  const params = parsed.searchParams;
  if (parsed.protocol !== "otpauth:" || !uri.startsWith("otpauth://pipush/")) {
    throw new Error("This link is not an MFA Portal set-up link.");
  }
  const url = params.get("url");
  if (!url || new URL(url).origin !== location.origin) {
    throw new Error("This set-up is for another portal: open it from that portal's Security info.");
  }
  say("Setting up: making this device's key (a few seconds)…");
  const keys = await crypto.subtle.generateKey(
    { ...KEY_ALGORITHM, modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]) },
    false,
    ["sign", "verify"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
  const form = new URLSearchParams({
    enrollment_credential: params.get("enrollment_credential") ?? "",
    serial: params.get("serial") ?? "",
    fbtoken: "no_firebase_token",
    pubkey: base64Encode(spki),
    offline_codes: "1",
    // This page can take the number typed (the policy "type the number").
    number_entry: "1",
  });
  const response = await fetch(url, { method: "POST", body: form });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || body?.result?.value !== true) {
    throw new Error(body?.result?.error?.message ?? "The portal refused this set-up. Start again.");
  }
  const serverKey = await crypto.subtle.importKey(
    "spki", spkiFromPkcs1(base64Decode(body.detail.public_key)), KEY_ALGORITHM, false, ["verify"],
  );
  let offlineKey = null;
  if (body.detail.offline_secret) {
    offlineKey = await crypto.subtle.importKey(
      "raw", base32Decode(body.detail.offline_secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"],
    );
  }
  await saveAccount({
    serial: params.get("serial"),
    label: decodeURIComponent(parsed.pathname.replace(/^\/+/, "")),
    issuer: params.get("issuer") ?? "MFA Portal",
    url,
    privateKey: keys.privateKey,
    serverKey,
    offlineKey,
  });
  say("This device is set up. Approve the test request below to finish.");
}

// --- requests --------------------------------------------------------------

async function poll(account) {
  const timestamp = new Date().toISOString();
  const signature = await sign(account, `${account.serial}|${timestamp}`);
  const query = new URLSearchParams({ serial: account.serial, timestamp, signature });
  const response = await fetch(`${account.url}?${query}`);
  if (!response.ok) return [];
  const body = await response.json();
  const checked = [];
  for (const request of body?.result?.value ?? []) {
    let text = [request.nonce, request.url, request.serial, request.question, request.title, request.sslverify].join("|");
    if (request.require_presence) text += `|${request.require_presence}`;
    if (await signedByPortal(account, text, request.signature)) checked.push(request);
  }
  return checked;
}

async function answer(account, request, choice) {
  const form = new URLSearchParams({ serial: account.serial, nonce: request.nonce });
  let text = `${request.nonce}|${account.serial}`;
  if (choice.decline) {
    text += "|decline";
    form.set("decline", "1");
    if (choice.reason) {
      text += `|${choice.reason}`;
      form.set("decline_reason", choice.reason);
    }
  } else if (choice.number) {
    text += `|${choice.number}`;
    form.set("presence_answer", choice.number);
  }
  form.set("signature", await sign(account, text));
  const response = await fetch(account.url, { method: "POST", body: form });
  const body = await response.json().catch(() => ({}));
  return body?.result?.value === true;
}

function button(label, className, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

/** A labelled field for the number the sign-in page shows, its error beside it. */
function typedNumber(request, done) {
  const form = document.createElement("form");
  form.className = "typed-number";
  form.noValidate = true;
  const id = `number-${request.nonce}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Number shown on the sign-in page";
  const input = document.createElement("input");
  input.id = id;
  input.inputMode = "numeric";
  input.autocomplete = "off";
  input.maxLength = 2;
  input.setAttribute("aria-describedby", `${id}-error`);
  const error = document.createElement("p");
  error.id = `${id}-error`;
  error.className = "field-error";
  const send = document.createElement("button");
  send.type = "submit";
  send.className = "btn btn-primary";
  send.textContent = "Send number";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const number = input.value.trim();
    if (!/^\d{2}$/.test(number)) {
      error.textContent = "Type the two digits the sign-in page shows.";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    done({ number }, "Answer sent.");
  });
  form.append(label, input, error, send);
  return form;
}

function showRequest(account, request) {
  const card = document.createElement("article");
  card.className = "request card";
  card.dataset.serial = account.serial;
  card.setAttribute("aria-labelledby", `request-${request.nonce}`);
  const title = document.createElement("h3");
  title.id = `request-${request.nonce}`;
  title.textContent = request.title;
  const question = document.createElement("p");
  question.textContent = request.question;
  card.append(title, question);
  const done = async (choice, words) => {
    card.querySelectorAll("button").forEach((b) => (b.disabled = true));
    const ok = await answer(account, request, choice);
    say(ok ? words : "This request is not open any more.", !ok);
    card.remove();
    if (!requestsBox.querySelector(".request")) requestsBox.innerHTML = '<p class="muted">No request is waiting.</p>';
  };
  const actions = document.createElement("div");
  actions.className = "request-actions";
  if (request.require_presence && request.answer_mode === "type") {
    card.append(typedNumber(request, done));
  } else if (request.require_presence) {
    const hint = document.createElement("p");
    hint.textContent = "Pick the number the sign-in page shows:";
    const numbers = document.createElement("div");
    numbers.className = "number-choices";
    numbers.setAttribute("role", "group");
    numbers.setAttribute("aria-label", "Number shown on the sign-in page");
    for (const number of request.require_presence.split(",")) {
      numbers.append(button(number, "btn btn-primary number-choice", () => done({ number }, "Answer sent.")));
    }
    card.append(hint, numbers);
  } else {
    actions.append(button("Approve", "btn btn-primary", () => done({}, "Approved.")));
  }
  actions.append(
    button("Deny", "btn", () => done({ decline: true, reason: "cancelled" }, "Denied.")),
    button("Deny and report fraud", "btn btn-danger", () =>
      done({ decline: true, reason: "unknown_trigger" }, "Denied and reported. Your administrator was told.")),
  );
  card.append(actions);
  requestsBox.querySelector("p.muted")?.remove();
  requestsBox.append(card);
  card.querySelector("input, button")?.focus();
  shown.set(request.nonce, card);
}

// --- the page --------------------------------------------------------------

async function renderAccounts() {
  const accounts = await allAccounts();
  accountsBox.replaceChildren();
  if (accounts.length === 0) {
    const empty = document.createElement("li");
    empty.className = "muted";
    empty.textContent = "None yet. Add this device from Security info in MFA Portal.";
    accountsBox.append(empty);
  }
  for (const account of accounts) {
    const item = document.createElement("li");
    item.className = "account";
    const name = document.createElement("strong");
    name.textContent = `${account.issuer}: ${account.label}`;
    item.append(name);
    if (account.offlineKey) {
      const code = document.createElement("p");
      code.className = "offline-code";
      code.dataset.serial = account.serial;
      item.append(code);
    }
    item.append(button("Remove from this device", "btn btn-link", async () => {
      await forgetAccount(account.serial);
      say("Removed from this device. Remove it in Security info too.");
      renderAccounts();
    }));
    accountsBox.append(item);
  }
  refreshCodes(accounts);
}

async function refreshCodes(accounts) {
  const now = Math.floor(Date.now() / 1000);
  for (const account of accounts) {
    const box = accountsBox.querySelector(`[data-serial="${account.serial}"]`);
    if (!box || !account.offlineKey) continue;
    const left = 30 - (now % 30);
    const code = await totp(account, now);
    box.textContent = `Offline code: ${code} (${left} s left)`;
    box.dataset.code = code;
  }
}

async function pollAll() {
  const accounts = await allAccounts();
  for (const account of accounts) {
    try {
      const requests = await poll(account);
      const open = new Set(requests.map((r) => r.nonce));
      for (const request of requests) if (!shown.has(request.nonce)) showRequest(account, request);
      for (const [nonce, card] of shown) {
        if (!open.has(nonce) && card.isConnected && card.dataset.serial === account.serial) card.remove();
      }
    } catch {
      say("The portal cannot be reached. Retrying…", true);
    }
  }
  refreshCodes(accounts);
}

// --- Web Push (where the portal has it configured) ---------------------------

const backgroundBox = document.getElementById("background");
const backgroundState = document.getElementById("background-state");
const backgroundToggle = document.getElementById("background-toggle");

/** Tells the portal, for every account here, where to push (or, with null, to stop). */
async function sendSubscription(accounts, subscription) {
  const keys = subscription?.toJSON().keys ?? {};
  const fields = { endpoint: subscription?.endpoint ?? "", p256dh: keys.p256dh ?? "", auth: keys.auth ?? "" };
  for (const account of accounts) {
    const timestamp = new Date().toISOString();
    const text = [account.serial, timestamp, fields.endpoint, fields.p256dh, fields.auth].join("|");
    const form = new URLSearchParams({ serial: account.serial, timestamp, ...fields });
    form.set("signature", await sign(account, text));
    const response = await fetch(`${account.url}/web-push`, { method: "POST", body: form });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body?.result?.error?.message ?? "The portal did not take the subscription.");
    }
  }
}

async function setUpBackground(accounts) {
  if (!backgroundBox || accounts.length === 0 || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const response = await fetch(`${accounts[0].url}/web-push`).catch(() => null);
  if (!response?.ok) return; // not configured: this page polls while it is open
  const { public_key: serverKey } = (await response.json()).result.value;
  const registration = await navigator.serviceWorker.ready;
  const show = async () => {
    const subscription = await registration.pushManager.getSubscription();
    backgroundState.textContent = subscription
      ? "On: requests show as notifications while this page is closed."
      : "Off: requests reach you while this page is open.";
    backgroundToggle.textContent = subscription ? "Stop notifications" : "Notify me while this page is closed";
  };
  backgroundToggle.onclick = async () => {
    backgroundToggle.disabled = true;
    try {
      const current = await registration.pushManager.getSubscription();
      if (current) {
        await sendSubscription(await allAccounts(), null);
        await current.unsubscribe();
      } else {
        if ((await Notification.requestPermission()) !== "granted") {
          throw new Error("Notifications are blocked for this site: allow them in the browser's settings.");
        }
        const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
        await sendSubscription(await allAccounts(), subscription);
      }
    } catch (error) {
      say(error.message ?? "Notifications could not be set up; this page still works while open.", true);
    } finally {
      backgroundToggle.disabled = false;
      await show();
    }
  };
  backgroundBox.hidden = false;
  await show();
}

async function start() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/authenticator-sw.js", { scope: "/authenticator" }).catch(() => {});
  }
  const hash = new URLSearchParams(location.hash.slice(1));
  const uri = hash.get("enrol");
  if (uri) {
    // The set-up link is single use: out of the address bar and history at once.
    history.replaceState(null, "", location.pathname);
    try {
      await enrol(uri);
    } catch (error) {
      say(error.message, true);
    }
  }
  await renderAccounts();
  setUpBackground(await allAccounts()).catch(() => {});
  document.body.dataset.authenticatorReady = "true";
  await pollAll();
  setInterval(pollAll, POLL_MS);
}

start();
