// One build recipe for both apps: each is served from its own path on the API's origin.
import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";

export function appConfig(root: string, base: string): UserConfig {
  return defineConfig({
    root: fileURLToPath(root),
    base,
    // Libraries come from npm, bundled here: nothing is fetched from a CDN at run time.
    build: {
      outDir: "dist",
      emptyOutDir: true,
      target: "es2022",
      sourcemap: true,
      assetsInlineLimit: 0,
      // MapLibre is one chunk of about 1.1 MB, fetched with the first map (not with the app).
      chunkSizeWarningLimit: 1200,
    },
    resolve: { alias: { "@shared": fileURLToPath(new URL(".", import.meta.url)) } },
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    server: {
      // `npm run dev` beside `make dev`: the API stays on the same origin through this proxy.
      proxy: {
        "/api": process.env.IOC_API ?? "http://127.0.0.1:8000",
        "/open311": process.env.IOC_API ?? "http://127.0.0.1:8000",
        "/map": process.env.IOC_API ?? "http://127.0.0.1:8000",
      },
    },
  }) as UserConfig;
}
