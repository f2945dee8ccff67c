import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    pool: "forks",
    // A variant's copy of impl/ lives under node_modules/.cache (variants/materialize.ts):
    // transform it like our own sources instead of handing it to Node as a dependency.
    server: { deps: { inline: [/node_modules\/\.cache\/uvmcheck\//] } },
  },
});
