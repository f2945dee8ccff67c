//! Words and lines for people: counted nouns in the right number ("1 command", "2
//! commands"), durations, rates, and lines cut to the terminal's 100 columns. Everything a
//! command prints as text goes through these, so the forms agree across commands.

/** The widest line uvmcheck prints in its own text (tables and reports; a trace's rows may be wider). */
export const LINE_WIDTH = 100;

/**
 * `1 run`, `2 runs`, `0 runs`; `plural` for the irregular ones (`processes`).
 * Ensures: the number, a space, the noun in the number it agrees with.
 */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Seconds as a person reads them: `0.4 s`, `12 s`, `3 min 5 s`, `1 h 2 min`. Requires: seconds ≥ 0. */
export function duration(seconds: number): string {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) return "?";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * A rate with sensible precision: `0.42`, `7.5`, `312`.
 * Ensures: a short decimal, "0" for no or an impossible rate.
 */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "0";
  if (perSecond < 1) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return String(Math.round(perSecond));
}

/**
 * `line` cut to `width` characters, the cut marked with `…`.
 * Ensures: at most `width` characters.
 */
export function clip(line: string, width = LINE_WIDTH): string {
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/**
 * Words joined by spaces into lines of at most `width` characters, each line after the
 * first starting with `indent`. A word longer than a line stays whole on its own line.
 * Ensures: the words in order, none split; lines longer than `width` only for a single long word.
 */
export function wrap(words: readonly string[], indent: string, width = LINE_WIDTH): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (candidate.length > width && line !== "") {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = candidate;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * An argument as a shell reads it: bare when it is safe, else in single quotes.
 * Ensures: a shell reads the result back as `word`.
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * A command line to copy, after `label`, as lines of at most `width` characters joined by
 * shell continuations (` \`), so that it still pastes as one command. A single word longer
 * than a line (a long path) stays whole.
 * Ensures: pasted into a shell, the lines are `command` again.
 */
export function commandLines(label: string, command: string, width = LINE_WIDTH): string[] {
  const lines = wrap([label, ...command.split(" ")], "    ", width - 2);
  return lines.map((line, index) => (index < lines.length - 1 ? `${line} \\` : line));
}
