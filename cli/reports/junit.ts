//! JUnit XML, the dialect CI servers read (Jenkins, GitLab, GitHub's test reporters): one
//! `<testsuites>` holding one `<testsuite>`, a `<testcase>` per campaign or per variant,
//! each passed, or with one `<failure>` (a violation), `<error>` (could not finish) or
//! `<skipped>`. Times are seconds with three decimals. Text is escaped for XML and stripped
//! of the control characters XML 1.0 forbids.

import type { TestCase } from "./ci-reports.ts";

/**
 * Escapes `text` for an XML attribute or text node.
 * Ensures: safe in an attribute and a text node.
 */
export function xmlEscape(text: string): string {
  const allowed = [...text]
    .filter((character) => {
      const code = character.codePointAt(0)!;
      return code === 0x9 || code === 0xa || code === 0xd || code >= 0x20;
    })
    .join("");
  return allowed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

function seconds(value: number): string {
  return Math.max(0, value).toFixed(3);
}

function caseXml(suite: string, testCase: TestCase): string {
  const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(testCase.name)}" time="${seconds(testCase.seconds)}"`;
  if (testCase.outcome === "passed") return `${open}/>`;
  const element = testCase.outcome === "failure" ? "failure" : testCase.outcome === "error" ? "error" : "skipped";
  const message = xmlEscape(testCase.message ?? "");
  const type = xmlEscape(testCase.type ?? testCase.outcome);
  const body = testCase.details === undefined ? "" : xmlEscape(testCase.details);
  const attributes = element === "skipped" ? `message="${message}"` : `message="${message}" type="${type}"`;
  return `${open}>\n      <${element} ${attributes}>${body}</${element}>\n    </testcase>`;
}

/** Ensures: a complete XML document ending with a newline. */
export function junitXml(suite: string, cases: readonly TestCase[], totalSeconds: number): string {
  const counted = (outcome: TestCase["outcome"]) => cases.filter((testCase) => testCase.outcome === outcome).length;
  const totals = `tests="${cases.length}" failures="${counted("failure")}" errors="${counted("error")}" skipped="${counted("skipped")}" time="${seconds(totalSeconds)}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="uvmcheck" ${totals}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${totals}>`,
    ...cases.map((testCase) => caseXml(suite, testCase)),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
