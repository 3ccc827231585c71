// The console's service worker: keeps the app itself (its page, script and styles) so that it
// opens offline too, and shows what the browser's replica holds. The API, sign-in and change
// feeds always go to the network: data comes from the replica, never from this cache.
const CACHE = 'streamledger-console-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name !== CACHE) await caches.delete(name);
  }
  await self.clients.claim();
})()));

/** Keeps a fresh copy; once a new page is kept, drops the bundle files it no longer names. */
async function keep(request, response) {
  const cache = await caches.open(CACHE);
  await cache.put(request, response);
  if (request.mode !== 'navigate') return;
  const page = await response.clone().text().catch(() => '');
  const named = new Set(page.match(/\/assets\/[^"']+/g) ?? []);
  for (const kept of await cache.keys()) {
    const path = new URL(kept.url).pathname;
    if (path.startsWith('/assets/') && !named.has(path)) await cache.delete(kept);
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin
      || url.pathname.startsWith('/api/') || url.pathname.startsWith('/auth/')
      || url.pathname.startsWith('/oauth2/') || url.pathname.startsWith('/login/')
      || url.pathname.startsWith('/actuator/')) {
    return;
  }
  // the network first (a new build is seen at once), the kept copy when it cannot be reached or
  // answers with a server error (a proxy's 502 while the console restarts, say)
  event.respondWith((async () => {
    const kept = () => caches.open(CACHE).then((cache) => cache.match(event.request, { ignoreSearch: true })
      .then((hit) => hit ?? (event.request.mode === 'navigate' ? cache.match('/') : undefined)));
    let response;
    try {
      response = await fetch(event.request);
    } catch (error) {
      const copy = await kept();
      if (copy) return copy;
      throw error;
    }
    if (response.status === 200) {
      // a copy that cannot be kept (storage full) must not cost the answer
      event.waitUntil(keep(event.request, response.clone()).catch(() => undefined));
    } else if (response.status >= 500) {
      return (await kept()) ?? response;
    }
    return response;
  })());
});
