// motcua's service worker: pages already visited, and "Hồ sơ của tôi" with the last known
// status of each dossier (kept in localStorage by the app), open without a network.
const CACHE = "motcua-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function keep(request, response) {
  if (response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is always asked live: statuses must never be stale without saying so.
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  if (request.mode === "navigate") {
    // Network first; offline, this page as last seen, else its bundle's shell.
    const citizen = url.pathname.startsWith("/ho-so") || url.pathname.startsWith("/nop-ho-so");
    event.respondWith(
      fetch(request)
        .then((response) => keep(request, response))
        .catch(() => caches.match(request).then((hit) => hit || caches.match(citizen ? "/ho-so" : "/"))),
    );
    return;
  }
  // File names carry a content hash: a cached copy is always right.
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => keep(request, response))));
});

// Web Push: a change to a dossier this device follows (turned on on its tracking page). The
// worker's payload is JSON: code, status, status_label, title, body, url.
self.addEventListener("push", (event) => {
  let n;
  try {
    n = event.data ? event.data.json() : {};
  } catch (_) {
    n = { body: event.data ? event.data.text() : "" };
  }
  const title = n.title || "Hồ sơ có cập nhật";
  const body = n.code ? `${n.code}: ${n.body || n.status_label || ""}` : n.body || "";
  event.waitUntil(
    self.registration.showNotification(title, { body, tag: n.code || "motcua", lang: "vi", icon: "/icon.svg", data: { url: n.url || "/ho-so" } }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/ho-so";
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) => {
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});
