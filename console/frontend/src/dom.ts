// A tiny DOM builder: every text goes in as text (never as HTML), so nothing a user or the
// ledger wrote can become markup.
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.substring(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replace(target: Element, ...children: Node[]): void {
  target.replaceChildren(...children);
}

/**
 * Runs a form's action once at a time: the submit's default is prevented and the form's buttons
 * are disabled until the action ends, so a second click or Enter cannot send it twice (with
 * another Idempotency-Key).
 */
export function busy(event: Event, action: () => Promise<void>): void {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  if (form.getAttribute('aria-busy') === 'true') return;
  const buttons = [...form.querySelectorAll('button')];
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((b) => { b.disabled = true; });
  void action().finally(() => {
    form.removeAttribute('aria-busy');
    buttons.forEach((b) => { b.disabled = false; });
  });
}
