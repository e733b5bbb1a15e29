/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";

// Files worth compressing, and the size below which a copy saves too little to bother.
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;
const MIN_BYTES = 1024;

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside every compressible file of the build;
 * the backend (`src/binscribe/api/ui.py`) sends the copy the browser accepts.
 */
function precompress(): Plugin {
  return {
    name: "binscribe-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const path = join(dir, fileName);
        const data = readFileSync(path);
        if (data.length < MIN_BYTES) continue;
        writeFileSync(`${path}.br`, brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
        }));
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

// `npm run dev` proxies the API to a local `uvicorn` on port 8000; the built UI is served by the
// backend itself at `/`, so production needs no proxy. Each page is its own chunk (React.lazy in
// src/app/App.tsx); React and MUI, which every page needs and which change less often than our
// code, get chunks of their own so a release of binscribe alone leaves them cached.
export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  build: {
    outDir: "dist",
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "mui", test: /node_modules[\\/](@mui|@emotion)[\\/]/, priority: 2 },
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|react-redux|@reduxjs|redux|immer|reselect)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // MUI renders are slow in jsdom on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
