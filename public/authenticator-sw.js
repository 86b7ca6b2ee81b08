// The web authenticator's service worker: keeps the page and its script for
// offline use (the offline codes work without the network), and shows a Web Push
// from the portal as a notification that opens the page. Scope: /authenticator.
const CACHE = "mfa-portal-authenticator-v1";
const SHELL = ["/authenticator", "/authenticator.js", "/authenticator.webmanifest", "/authenticator-icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n)))),
  );
});

// Network first (fresh page and script when online), the cache when offline.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !SHELL.includes(url.pathname)) return;
  event.respondWith(fetch(event.request).catch(() => caches.match(url.pathname)));
});

// A sign-in request while the page is closed: the portal's message says who and
// from where; answering happens on the page, which fetches and checks the request.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data?.json() ?? {};
  } catch {
    message = {};
  }
  const title = message.title ?? "MFA Portal";
  const body = message.body ?? "A sign-in request is waiting for your answer.";
  event.waitUntil(self.registration.showNotification(title, { body, tag: message.tag ?? "mfa-portal-sign-in", renotify: true, requireInteraction: true }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname === "/authenticator");
      return open ? open.focus() : self.clients.openWindow("/authenticator");
    }),
  );
});
