// `uvmcheck report FILE`: one self-contained HTML page per counterexample, checked in a real
// headless Chromium (Debian's, driven by playwright-core): for threaded counterexamples (a
// linearizability failure with two threads, an observation failure in a thread's window,
// both seed bugs) the page loads with no console error and
// no request beyond the file itself, and shows each part, found through the DOM: summary,
// reproduce lines, steps, a lane per thread with its starts, parks and completions, the
// operation that cannot be placed after the longest explained prefix, the nested diff of
// the observation, the frames. A screenshot of each is kept in test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const browserPath = "/usr/bin/chromium";
const artifacts = join(import.meta.dirname, "..", "test-artifacts");
const stored = (name: string) => join(import.meta.dirname, "..", "counterexamples", name);
const linearizability = "seed-f13-linearizability-1.json";
const observation = "seed-f15-observation-5.json";

/** Writes the page of counterexample `name` and returns its path. */
function page(name: string, directory = temporaryDirectory()): string {
  const out = join(directory, name.replace(/\.json$/, ".html"));
  const { status, stdout, stderr } = uvmcheck(["report", stored(name), "--out", out]);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  expect(stdout).toBe(`wrote ${out}\n`);
  return out;
}

describe("uvmcheck report", () => {
  it("writes the same bytes for the same file, never over an existing page without --force, and no network address", () => {
    const first = page(linearizability);
    const second = page(linearizability);
    expect(readFileSync(first, "utf8")).toBe(readFileSync(second, "utf8"));
    expect(readFileSync(first, "utf8")).not.toMatch(/https?:\/\//);
    const refused = uvmcheck(["report", stored(linearizability), "--out", first]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists; give --force to replace it/);
    expect(uvmcheck(["report", stored(linearizability), "--out", first, "--force"]).status).toBe(0);
  });

  it("run --html writes the page of the counterexample it finds beside its file", () => {
    const out = temporaryDirectory();
    const { status, stdout } = uvmcheck(["run", "--variant", "canary-cow-copy-skip", "--seed", "1", "--runs", "200", "--schedule", "none", "--out", out, "--html"]);
    expect(status).toBe(1);
    const html = join(out, "canary-cow-copy-skip-observation-1.html");
    expect(stdout).toContain(`\npage: ${html}\n`);
    expect(readFileSync(html, "utf8")).toMatch(/<div class="verdict fails" id="verdict">FAILS: observation at step 1: /);
  });
});

const haveBrowser = existsSync(browserPath);

describe.skipIf(!haveBrowser && process.env.CI === undefined)("the page in headless Chromium", () => {
  let context: BrowserContext;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "uvmcheck-chromium-")), {
      executablePath: browserPath,
      headless: true,
      args: flags,
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  /** Opens `path`, failing on any console error, page error or request to anything but the file. */
  async function open(path: string, screenshot: string) {
    const browserPage = await context.newPage();
    const problems: string[] = [];
    browserPage.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    browserPage.on("pageerror", (error) => problems.push(`page: ${String(error)}`));
    browserPage.on("request", (request) => {
      if (request.url() !== pathToFileURL(path).href) problems.push(`request: ${request.url()}`);
    });
    await browserPage.goto(pathToFileURL(path).href, { waitUntil: "load" });
    await browserPage.screenshot({ path: join(artifacts, screenshot), fullPage: true });
    expect(problems).toEqual([]);
    return browserPage;
  }

  it("a linearizability failure: threads, the longest explained prefix and the operation that cannot be placed", async () => {
    const view = await open(page(linearizability), "report-linearizability.png");
    expect(await view.locator("#verdict").innerText()).toMatch(/^FAILS: linearizability at step \d+: thread \d+'s/);
    expect(await view.locator("#reproduce pre").innerText()).toContain(`npx uvmcheck replay ${stored(linearizability)}`);
    const steps = await view.locator("#steps tr[data-step]").count();
    expect(steps).toBeGreaterThanOrEqual(4);
    expect(await view.locator("#threads th").allInnerTexts()).toEqual(["step", "command", "thread 1", "thread 2"]);
    for (const event of ["start", "park", "complete"]) expect(await view.locator(`#threads [data-event="${event}"]`).count(), event).toBeGreaterThan(0);
    expect(await view.locator('#threads [data-event="park"]').first().innerText()).toMatch(/^parks at \S+/);
    expect(await view.locator("#linearizability").innerText()).toMatch(/Longest explained prefix: steps 0–\d+ \(\d+ commands\)/);
    expect(await view.locator("#unplaceable").innerText()).toMatch(/^Cannot be placed: thread \d+: \w+ pid=\d+ .* \(started at step \d+, completed at step \d+\) returned /);
    expect(await view.locator("td.event-unplaceable").count()).toBe(1);
    expect(await view.locator("#divergence pre").innerText()).not.toBe("");
    expect(await view.locator("#frames").innerText()).toMatch(/^Frames involved\n/);
  });

  it("an observation failure with threads: the nested diff of the model's observation against the implementation's", async () => {
    const view = await open(page(observation), "report-observation.png");
    expect(await view.locator("#verdict").innerText()).toMatch(/^FAILS: observation at step \d+/);
    expect(await view.locator("#threads th").allInnerTexts()).toEqual(["step", "command", "thread 1"]);
    for (const event of ["start", "park", "sleeping", "resume", "complete"]) expect(await view.locator(`#threads [data-event="${event}"]`).count(), event).toBeGreaterThan(0);
    expect(await view.locator("#linearizability").count()).toBe(0);
    const differing = view.locator("#observation-diff li.status-differs");
    expect(await differing.count()).toBeGreaterThan(0);
    expect(await differing.first().innerText()).toMatch(/^word \d+: model \S+ · implementation \S+$/);
    expect(await view.locator("#observation-diff details[open]").count()).toBeGreaterThan(0);
    expect(await view.locator("#frames .frame").count()).toBeGreaterThan(0);
  });
});
