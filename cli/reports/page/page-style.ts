//! The counterexample page's style sheet, inlined into the page so that it needs nothing
//! from the network: system fonts, a light palette, one colour per meaning (a failure red,
//! a parked thread amber, a completion green, a start or resume blue).

export const pageStyle = `
:root { --fail: #b3261e; --fail-bg: #fdecea; --ok: #1b6e3a; --ok-bg: #e7f4ea; --park: #8a5a00; --park-bg: #fff4d6;
  --move: #1a56a6; --move-bg: #e6eefb; --line: #d7d7db; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1f1f1f; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
code, pre, td.mono, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f6f8; padding: .75rem; overflow-x: auto; border-radius: 4px; }
.verdict { font-weight: 600; padding: .5rem .75rem; border-radius: 4px; display: inline-block; margin: .5rem 0; }
.verdict.fails { background: var(--fail-bg); color: var(--fail); }
.verdict.passes { background: var(--ok-bg); color: var(--ok); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .2rem .45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f3; position: sticky; top: 0; }
tr.failing td { background: var(--fail-bg); }
tr.heal td { color: var(--muted); }
td.FAIL { color: var(--fail); font-weight: 600; }
td.ok { color: var(--ok); }
.sub { display: block; color: var(--muted); }
td.event-start, td.event-resume, td.event-run { background: var(--move-bg); color: var(--move); }
td.event-park, td.event-sleeping { background: var(--park-bg); color: var(--park); }
td.event-complete { background: var(--ok-bg); color: var(--ok); }
td.event-unplaceable { background: var(--fail-bg); color: var(--fail); font-weight: 600; }
.note { color: var(--muted); }
.callout { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: .5rem .75rem; margin: .5rem 0; }
details { margin-left: 1rem; }
details > summary { cursor: pointer; }
.status-differs > summary, li.status-differs { color: var(--fail); }
.status-model-only > summary, li.status-model-only, .status-implementation-only > summary, li.status-implementation-only { color: var(--park); }
ul.leaves { list-style: none; margin: 0 0 0 1rem; padding: 0; }
.frame { margin-bottom: 1rem; }
`;
