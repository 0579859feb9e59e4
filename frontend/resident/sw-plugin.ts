// The resident app's service worker, written at build time: it knows the build's files, so its
// cache is named after them (a new build is a new cache, the old one is dropped).
import { createHash } from "node:crypto";
import type { Plugin } from "vite";

// Files of public/ that Vite copies as they are (not in the bundle it hands plugins).
const PUBLIC_FILES = ["favicon.svg", "manifest.webmanifest", "icon-192.png", "icon-512.png"];

export function serviceWorker(base: string): Plugin {
  return {
    name: "ioc-service-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).filter((name) => !name.endsWith(".map"));
      const files = [...new Set(["index.html", ...built, ...PUBLIC_FILES])].sort();
      // Named after what the files hold: an index.html that changes alone is a new build too.
      const digest = createHash("sha256").update(files.join("\n"));
      for (const name of built.sort()) {
        const output = bundle[name];
        digest.update(output.type === "chunk" ? output.code : output.source);
      }
      const version = digest.digest("hex").slice(0, 12);
      const shell = files.map((name) => base + name);
      this.emitFile({ type: "asset", fileName: "sw.js", source: worker(base, version, shell) });
    },
  };
}

function worker(base: string, version: string, shell: string[]): string {
  return `// Built with the app (frontend/resident/sw-plugin.ts): the shell of build ${version}.
const CACHE = "ioc-app-${version}";
const BASE = ${JSON.stringify(base)};
const SHELL = ${JSON.stringify(shell)};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ioc-app-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// Public API answers may be read offline (categories, wards, the public list); a signed-in
// caller's (their reports, their inbox) and photos are never kept.
function keepable(request, response) {
  const path = new URL(request.url).pathname;
  return response.ok && response.type === "basic" && !request.headers.has("authorization")
    && !path.startsWith("/api/v1/me") && !path.startsWith("/api/v1/photos/");
}

async function networkFirst(request, fallback) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (keepable(request, response)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(fallback ?? request);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request);
  return kept ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only reads of this origin: a report is sent by the page itself (its outbox retries).
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(BASE)) {
    event.respondWith(networkFirst(request, BASE + "index.html"));
  } else if (url.pathname.startsWith(BASE)) {
    event.respondWith(cacheFirst(request));
  }
});
`;
}
