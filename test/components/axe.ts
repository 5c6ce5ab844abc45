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
