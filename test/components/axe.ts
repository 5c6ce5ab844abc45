import type { AxeResults, Result } from 'axe-core';
import 'axe-core';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}

/** axe-core's findings for `el` (shadow roots included), as readable lines; empty when clean. */
export async function axeViolations(el: Element): Promise<string[]> {
  const results: AxeResults = await window.axe.run(el, { resultTypes: ['violations'] });
  return results.violations.map(describe);
}

function describe(v: Result): string {
  const where = v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n    ');
  return `${v.id} (${v.impact}): ${v.help}\n    ${where}`;
}

export async function expectNoAxeViolations(el: Element, what: string): Promise<void> {
  const violations = await axeViolations(el);
  if (violations.length) throw new Error(`axe found problems in ${what}:\n${violations.join('\n')}`);
}

/** How many text nodes axe could check for colour contrast, and how many it could not decide. */
export async function contrastCoverage(el: Element): Promise<{ passed: number; undecided: number; undecidedWhy: string[]; failed: number }> {
  const results = await window.axe.run(el, { runOnly: ['color-contrast'] });
  const count = (list: Result[]): number => list.reduce((n, r) => n + r.nodes.length, 0);
  // Icons (aria-hidden symbols beside their words) are not text; axe rightly leaves them undecided.
  const undecided = results.incomplete
    .flatMap((r) => r.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.any.map((c) => c.message).join('; ')}`))
    .filter((why) => !why.includes('only non-text characters'));
  return { passed: count(results.passes), undecided: undecided.length, undecidedWhy: undecided, failed: count(results.violations) };
}
