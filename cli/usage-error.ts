//! Bad usage (an unknown flag, a malformed number, an impossible configuration): one clear
//! line on stderr and exit code 2. Nothing on disk is touched.

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${name} must be an integer, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${name} must be between ${min} and ${max}, got ${text}`);
  return value;
}
