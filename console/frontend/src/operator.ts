// The operators' page: the audit (money conserved per currency, in flight, negative balances —
// which must be none) kept fresh, and deposits.
import { call, newKey } from './api';
import { h, replace } from './dom';

interface CurrencyAudit {
  accounts: number;
  deposited: string;
  withdrawn: string;
  balances: string;
  inFlight: string;
  negativeBalances: number;
  balanced: boolean;
}

interface Audit {
  currencies: Record<string, CurrencyAudit>;
  partitions: number;
}

const AUDIT_EVERY_MS = 2000;

/** Builds the page in {@code page}; returns what refreshes it. */
export function operatorPage(page: HTMLElement, announce: (message: string, kind?: 'info' | 'error') => void): () => void {
  document.title = 'Operations · Streamledger';
  const audit = h('div', { id: 'audit' }, h('p', {}, 'Counting…'));
  const checked = h('p', { class: 'hint', id: 'audit-time' });
  const account = h('input', { id: 'deposit-account', name: 'account', required: true, autocomplete: 'off', spellcheck: 'false' });
  const amount = h('input', { id: 'deposit-amount', name: 'amount', required: true, inputmode: 'decimal', autocomplete: 'off' });
  const deposit = h('form', { class: 'card', 'aria-labelledby': 'deposit-heading', onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const answer = await call<{ balance: string; currency?: string }>('POST',
        `/api/command/accounts/${encodeURIComponent(account.value.trim())}/deposits`, { amount: amount.value.trim() },
        { 'Idempotency-Key': newKey() });
      announce(`Deposited. The balance is now ${answer.body.balance}.`);
      amount.value = '';
      void refresh();
    } catch (error) {
      announce(error instanceof Error ? error.message : String(error), 'error');
    }
  } },
  h('h2', { id: 'deposit-heading' }, 'Deposit'),
  h('label', { for: 'deposit-account' }, 'Account number'), account,
  h('label', { for: 'deposit-amount' }, 'Amount'), amount,
  h('button', { type: 'submit' }, 'Deposit'));

  replace(page, h('h1', {}, 'Operations'),
    h('section', { 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Audit'),
      h('p', { class: 'hint' }, 'Every currency must balance: balances = deposited − withdrawn − in flight, and no balance may be negative.'),
      audit, checked),
    deposit);

  let timer: number | undefined;
  const refresh = async () => {
    window.clearTimeout(timer);
    if (!page.contains(audit)) return; // the page was left
    try {
      const answer = (await call<Audit>('GET', '/api/query/audit')).body;
      replace(audit, auditTable(answer));
      checked.textContent = `Counted at ${new Date().toLocaleTimeString()} over ${answer.partitions} partitions.`;
    } catch (error) {
      checked.textContent = error instanceof Error ? error.message : String(error);
    }
    timer = window.setTimeout(() => void refresh(), AUDIT_EVERY_MS);
  };
  void refresh();
  return () => {};
}

function auditTable(audit: Audit): HTMLElement {
  const currencies = Object.entries(audit.currencies).sort(([a], [b]) => a.localeCompare(b));
  if (currencies.length === 0) return h('p', {}, 'No accounts yet.');
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Audit per currency'),
    h('thead', {}, h('tr', {}, ...['Currency', 'Accounts', 'Deposited', 'Withdrawn', 'In flight', 'Balances', 'Negative balances', 'Balanced']
      .map((title, i) => h('th', { scope: 'col', class: i === 0 ? '' : 'number' }, title)))),
    h('tbody', {}, ...currencies.map(([currency, c]) => h('tr', { 'data-currency': currency },
      h('td', {}, currency),
      h('td', { class: 'number' }, c.accounts),
      h('td', { class: 'number' }, c.deposited),
      h('td', { class: 'number' }, c.withdrawn),
      h('td', { class: 'number' }, c.inFlight),
      h('td', { class: 'number' }, c.balances),
      h('td', { class: `number ${c.negativeBalances === 0 ? 'ok' : 'bad'}` }, c.negativeBalances),
      h('td', { class: `number ${c.balanced ? 'ok' : 'bad'}`, 'data-balanced': String(c.balanced) }, c.balanced ? 'Yes' : 'NO')))));
}
