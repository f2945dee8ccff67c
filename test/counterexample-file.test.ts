// The counterexample file format: commands parse strictly and canonically, files round-trip
// through serialize/parse, and every kind of bad input is one precise error.
import { describe, expect, it } from "vitest";
import { parseCounterexample, serializeCounterexample } from "../properties/counterexample-files/counterexample-file.ts";
import { type Command, commandKinds } from "../vocabulary/command.ts";
import { commandSpecs, type FieldType } from "../vocabulary/command-fields.ts";
import { formatCommand } from "../vocabulary/command-format.ts";
import { CommandParseError, parseCommand } from "../vocabulary/command-parse.ts";
import * as c from "./support/commands.ts";
import { fileFor, uvmSetup } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const sampleValue: Readonly<Record<FieldType, unknown>> = {
  pid: 2,
  va: 3,
  pageCount: 1,
  word: 0,
  value: 7,
  file: 1,
  filePage: 2,
  protection: "r",
  inheritance: "share",
  advice: "random",
  sharing: "shared",
  backing: { kind: "file", file: 1, offset: 2 },
  loanHandle: 1,
  loanIndex: 0,
  loanTarget: "anon",
  frameCount: 4,
  failureKind: "swapRead",
  thread: 1,
  operation: { kind: "read", pid: 1, va: 0, word: 0 },
  segment: 1,
  flag: true,
};

/** One command of every kind the vocabulary has, fields in table order. */
const samples = commandKinds.map((kind) => {
  const command: Record<string, unknown> = { kind };
  for (const field of commandSpecs[kind].fields) command[field.name] = sampleValue[field.type];
  return command;
});

function parseError(data: unknown): string {
  try {
    parseCommand(data, "commands[0]");
  } catch (error) {
    if (error instanceof CommandParseError) return error.message;
    throw error;
  }
  throw new Error("parsed");
}

describe("commands as data", () => {
  it.each(samples.map((sample) => [sample.kind, sample]))("%s parses back to itself and prints on one line", (_kind, sample) => {
    const parsed = parseCommand(JSON.parse(JSON.stringify(sample)), "command");
    expect(parsed).toEqual(sample);
    expect(formatCommand(parsed)).not.toContain("\n");
  });

  it("puts the fields of a command in table order, kind first", () => {
    const shuffled = { value: 5, word: 0, va: 1, pid: 1, kind: "write" };
    expect(Object.keys(parseCommand(shuffled, "command"))).toEqual(["kind", "pid", "va", "word", "value"]);
  });

  it.each([
    [{ kind: "teleport" }, /commands\[0\]\.kind: unknown command kind "teleport"/],
    [{ pid: 1 }, /commands\[0\]\.kind: expected a command kind/],
    [{ kind: "read", pid: 1, va: 0 }, /commands\[0\]\.word: missing/],
    [{ kind: "read", pid: 1, va: 0, word: 0, extra: 1 }, /commands\[0\]: unexpected field "extra"/],
    [{ kind: "read", pid: "1", va: 0, word: 0 }, /commands\[0\]\.pid: expected a non-negative integer, got "1"/],
    [{ kind: "read", pid: 1, va: -1, word: 0 }, /commands\[0\]\.va: expected a non-negative integer, got -1/],
    [{ kind: "write", pid: 1, va: 0, word: 0, value: 1.5 }, /commands\[0\]\.value: expected an integer/],
    [{ ...c.mmapAnon(1, 1), prot: "rwx" }, /commands\[0\]\.prot: expected one of "none", "r", "w", "rw", got "rwx"/],
    [{ ...c.mmapAnon(1, 1), backing: { kind: "file", file: 0 } }, /commands\[0\]\.backing\.offset: missing/],
    [{ ...c.mmapAnon(1, 1), backing: { kind: "anon", file: 0 } }, /commands\[0\]\.backing: unexpected field "file"/],
    [[], /commands\[0\]: expected an object/],
  ])("rejects %j precisely", (data, message) => {
    expect(parseError(data)).toMatch(message);
  });
});

describe("counterexample files", () => {
  const file = fileFor(uvmSetup("canary-cow-copy-skip"), [c.mmapFile(1, 1, 0, 0), c.write(1, 0, 1)]);
  const text = serializeCounterexample(file);

  it("round-trip through serialize and parse, one command per line", () => {
    expect(parseCounterexample(text, "file.json")).toEqual(file);
    expect(serializeCounterexample(parseCounterexample(text, "file.json"))).toBe(text);
    for (const command of file.commands) expect(text).toContain(JSON.stringify(command));
  });

  it("keep an optional root cause and shrink history", () => {
    const annotated = { ...file, rootCause: "the promotion skips the copy", shrunkFrom: { commands: 9, world: file.configuration.world } };
    expect(parseCounterexample(serializeCounterexample(annotated), "file.json")).toEqual(annotated);
  });

  const bad = (edit: (data: Record<string, unknown>) => void) => {
    const data = JSON.parse(text) as Record<string, unknown>;
    edit(data);
    return JSON.stringify(data);
  };

  it.each([
    ["malformed JSON", "{ not json", /file\.json: not valid JSON/],
    ["a truncated file", text.slice(0, text.length / 2), /file\.json: not valid JSON \(malformed or truncated\)/],
    ["an empty file", "", /file\.json: not valid JSON/],
    ["another JSON document", "[1, 2]", /file\.json: file: expected an object/],
    ["no format marker", bad((data) => delete data.format), /not a uvmcheck counterexample/],
    ["an unknown schema version", bad((data) => (data.schemaVersion = 2)), /unknown schema version 2 \(this uvmcheck reads version 1\)/],
    [
      "an unknown command kind",
      bad((data) => ((data.commands as Command[])[1] = { kind: "teleport" } as never)),
      /commands\[1\]\.kind: unknown command kind "teleport"/,
    ],
    ["no commands", bad((data) => (data.commands = [])), /commands: expected a non-empty array/],
    ["a negative failing step", bad((data) => (data.failure = { check: "observation", step: -1, message: "" })), /failure\.step: expected an integer in \[0, /],
    ["an impossible world", bad((data) => ((data.configuration as { world: { frames: number } }).world.frames = 0)), /configuration\.world/],
    [
      "an unknown failure kind",
      bad((data) => ((data.configuration as { failures: unknown }).failures = { cosmicRay: 0.1 })),
      /unknown failure kind "cosmicRay"/,
    ],
    ["an unknown key", bad((data) => (data.comment = "hi")), /unexpected field "comment"/],
    ["a two-line root cause", bad((data) => (data.rootCause = "a\nb")), /rootCause: expected one line/],
  ])("reject %s in one line naming the problem", (_what, input, message) => {
    expect(() => parseCounterexample(input, "file.json")).toThrow(message);
    try {
      parseCounterexample(input, "file.json");
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
