// The console's service worker: keeps the app itself (its page, script and styles) so that it
// opens offline too, and shows what the browser's replica holds. The API, sign-in and change
// feeds always go to the network: data comes from the replica, never from this cache.
const CACHE = 'streamledger-console-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin
      || url.pathname.startsWith('/api/') || url.pathname.startsWith('/auth/')
      || url.pathname.startsWith('/oauth2/') || url.pathname.startsWith('/login/')) {
    return;
  }
  // the network first (a new build is seen at once), the kept copy when it cannot be reached
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(event.request, response.clone());
      return response;
    } catch (error) {
      const kept = await cache.match(event.request, { ignoreSearch: true })
        ?? (event.request.mode === 'navigate' ? await cache.match('/') : undefined);
      if (kept) return kept;
      throw error;
    }
  })());
});
