/**
 * Finding controls the way a screen reader meets them: by role and accessible name, through
 * open shadow roots. A small subset of ARIA's role and name rules — enough for Hearth's own
 * markup, and strict enough that an unlabelled control is not found.
 */

/** Every element under `root`, descending into open shadow roots, in document order. */
export function deepElements(root: Node): Element[] {
  const out: Element[] = [];
  const visit = (node: Node): void => {
    for (const child of Array.from((node as ParentNode).children ?? [])) {
      out.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return out;
}

/** All rendered text under `root`, shadow roots included (what a reader could reach). */
export function deepText(root: Node): string {
  let text = '';
  const visit = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      text += (node as Text).data;
      return;
    }
    if (node instanceof HTMLStyleElement || node instanceof HTMLScriptElement) return;
    if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) text += node.value;
    if (node instanceof Element && node.shadowRoot) visit(node.shadowRoot);
    for (const child of Array.from(node.childNodes)) visit(child);
  };
  visit(root);
  return text;
}

const INPUT_ROLES: Record<string, string> = {
  button: 'button',
  submit: 'button',
  reset: 'button',
  checkbox: 'checkbox',
  radio: 'radio',
  number: 'spinbutton',
  text: 'textbox',
  search: 'searchbox',
  email: 'textbox',
  url: 'textbox',
  tel: 'textbox',
  password: 'textbox',
};

export function roleOf(el: Element): string | undefined {
  const explicit = el.getAttribute('role')?.trim().split(/\s+/)[0];
  if (explicit) return explicit;
  const tag = el.localName;
  if (tag === 'input') return INPUT_ROLES[(el as HTMLInputElement).type] ?? 'textbox';
  if (/^h[1-6]$/.test(tag)) return 'heading';
  const implicit: Record<string, string> = {
    button: 'button',
    textarea: 'textbox',
    select: 'combobox',
    dialog: 'dialog',
    fieldset: 'group',
    ul: 'list',
    ol: 'list',
    li: 'listitem',
    article: 'article',
    main: 'main',
    header: 'banner',
    nav: 'navigation',
    form: 'form',
    summary: 'button',
    option: 'option',
  };
  if (tag === 'a') return el.hasAttribute('href') ? 'link' : undefined;
  if (tag === 'img') return el.getAttribute('alt') === '' ? 'presentation' : 'img';
  if (tag === 'section') return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : undefined;
  return implicit[tag];
}

const NAME_FROM_CONTENT = new Set(['button', 'link', 'heading', 'radio', 'checkbox', 'option', 'listitem', 'tab', 'cell']);

function isHidden(el: Element): boolean {
  return el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('hidden');
}

/** Text of a subtree as an accessible name contributes it (aria-hidden parts left out). */
function textAlternative(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return (node as Text).data;
  if (!(node instanceof Element)) return '';
  if (isHidden(node) || node instanceof HTMLStyleElement) return '';
  const label = node.getAttribute('aria-label');
  if (label) return label;
  if (node instanceof HTMLImageElement) return node.alt;
  const children = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
  return Array.from(children).map(textAlternative).join('');
}

const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

export function nameOf(el: Element): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return clean(
      labelledBy
        .split(/\s+/)
        .map((id) => {
          const target = root.getElementById(id);
          return target ? textAlternative(target) : '';
        })
        .join(' '),
    );
  }
  const ariaLabel = el.getAttribute('aria-label');
  if (ariaLabel) return clean(ariaLabel);
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) {
    const labels = Array.from(el.labels ?? []);
    if (labels.length) return clean(labels.map(textAlternative).join(' '));
  }
  if (el instanceof HTMLFieldSetElement) {
    const legend = el.querySelector(':scope > legend');
    if (legend) return clean(textAlternative(legend));
  }
  const role = roleOf(el);
  if (role && NAME_FROM_CONTENT.has(role)) return clean(textAlternative(el));
  return clean(el.getAttribute('title') ?? '');
}

export type NameMatcher = string | RegExp;
const matches = (name: string, want: NameMatcher): boolean => (typeof want === 'string' ? name === want : want.test(name));

/** Rendered elements (not display:none, not inside a closed dialog or hidden subtree) with this role and name. */
export function queryAllByRole(root: Node, role: string, name?: NameMatcher): HTMLElement[] {
  // SVG elements count too (an <svg role="img">); typed as HTMLElement for the tests' convenience.
  return deepElements(root).filter(
    (el): el is HTMLElement =>
      (el instanceof HTMLElement || el instanceof SVGElement) &&
      roleOf(el) === role &&
      el.checkVisibility() &&
      (name === undefined || matches(nameOf(el), name)),
  );
}

export function getByRole(root: Node, role: string, name?: NameMatcher): HTMLElement {
  const found = queryAllByRole(root, role, name);
  if (found.length !== 1) {
    const seen = queryAllByRole(root, role).map((el) => JSON.stringify(nameOf(el)));
    throw new Error(`expected one ${role} named ${String(name)}, found ${found.length}; ${role}s here: ${seen.join(', ') || 'none'}`);
  }
  return found[0]!;
}
