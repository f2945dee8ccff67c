#!/usr/bin/env node
// The uvmcheck command. The sources are TypeScript, run through tsx's loader (cli/loader.mjs).
import "./loader.mjs";

const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
