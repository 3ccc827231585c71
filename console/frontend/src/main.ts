// The console's browser app: sign-in, the caller's accounts and statements kept live in the
// browser's replica, transfers with keys that survive being offline, and the operators' pages.
import './style.css';
import { Unreachable, call, isReachable, newKey } from './api';
import { busy, h, replace } from './dom';
import { Feeds } from './feeds';
import { Replica, type AccountCopy } from './replica';
import { Transfers } from './transfers';
import { KIND_WORDS, STATE_WORDS, money, shortId, when } from './words';
import { operatorPage } from './operator';

interface Caller {
  subject: string;
  name: string;
  operator: boolean;
}

interface SessionView {
  caller: Caller | null;
  devSignIn: boolean;
  providerSignIn: string | null;
}

interface UserView {
  username: string;
  displayName?: string;
  accountIds: string[];
}

interface AccountView {
  accountId: string;
  owner: string;
  currency: string;
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
const LAST_CALLER = 'streamledger.console.caller';

const app = document.getElementById('app') as HTMLElement;
let caller: Caller;
let replica: Replica;
let feeds: Feeds;
let transfers: Transfers;
let username: string | undefined;
let registered: boolean | undefined; // undefined: not known yet (offline)
let refreshPage: () => void = () => {};

function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.className = `status ${kind}`;
  status.textContent = message;
}

function failure(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---- start ---------------------------------------------------------------------------------

async function start(): Promise<void> {
  let session: SessionView;
  try {
    session = (await call<SessionView>('GET', '/auth/session')).body;
  } catch (e) {
    const last = localStorage.getItem(LAST_CALLER);
    if (!(e instanceof Unreachable) || !last) {
      replace(app, h('main', { class: 'centered' }, h('h1', {}, 'Streamledger'), h('p', { role: 'alert' }, failure(e))));
      return;
    }
    session = { caller: JSON.parse(last) as Caller, devSignIn: false, providerSignIn: null };
  }
  if (!session.caller) {
    localStorage.removeItem(LAST_CALLER);
    signInPage(session);
    return;
  }
  localStorage.setItem(LAST_CALLER, JSON.stringify(session.caller));
  caller = session.caller;
  replica = await Replica.open(caller.subject);
  feeds = new Feeds(replica, () => scheduleRefresh());
  transfers = new Transfers(replica, () => scheduleRefresh());
  username = await replica.meta<string>('username');
  shell();
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => { onlineBadge(); void sync(); });
  window.addEventListener('offline', onlineBadge);
  // the console answered again (a feed reopened by itself) or stopped answering
  window.addEventListener('reachability', () => { onlineBadge(); if (isReachable()) void sync(); });
  route();
  for (const account of await replica.accounts()) void feeds.follow(account.accountId);
  await sync();
}

/** Brings the replica's list of accounts up to date with the ledger (when online). */
async function sync(): Promise<void> {
  const name = username ?? caller.name;
  try {
    const found = (await call<{ registered: boolean; user?: UserView }>('GET', `/api/user?username=${encodeURIComponent(name)}`)).body;
    if (!found.registered || !found.user) {
      registered = false;
      return;
    }
    const user = found.user;
    registered = true;
    username = user.username;
    await replica.setMeta('username', username);
    const held = new Set((await replica.accounts()).map((a) => a.accountId));
    for (const accountId of user.accountIds) {
      if (!held.has(accountId)) await adopt(accountId);
    }
    await transfers.flush();
  } catch (e) {
    if (!(e instanceof Unreachable)) announce(failure(e), 'error');
  } finally {
    onlineBadge();
    scheduleRefresh();
  }
}

async function adopt(accountId: string): Promise<void> {
  const account = (await call<AccountView>('GET', `/api/query/accounts/${encodeURIComponent(accountId)}`)).body;
  await replica.addAccount(account.accountId, account.owner, account.currency);
  await feeds.follow(account.accountId);
}

let refreshQueued = false;
function scheduleRefresh(): void {
  if (refreshQueued) return;
  refreshQueued = true;
  requestAnimationFrame(() => {
    refreshQueued = false;
    refreshPage();
  });
}

// ---- sign-in -------------------------------------------------------------------------------

function signInPage(session: SessionView): void {
  document.title = 'Sign in · Streamledger';
  const nameInput = h('input', { id: 'dev-username', name: 'username', required: true, autocomplete: 'username', pattern: '[\\p{L}\\p{N}._\\-]{1,64}' });
  const operatorBox = h('input', { id: 'dev-operator', type: 'checkbox', name: 'operator' });
  const devForm = h('form', { class: 'card', 'aria-labelledby': 'dev-heading', onsubmit: (e: Event) => busy(e, async () => {
    try {
      await call('POST', '/auth/dev-sign-in', { username: nameInput.value.trim(), operator: operatorBox.checked });
      location.hash = '#/';
      location.reload();
    } catch (error) {
      announce(failure(error), 'error');
    }
  }) },
  h('h2', { id: 'dev-heading' }, 'Development sign-in'),
  h('p', { class: 'hint' }, 'Only on a development stack: sign in as any username. Real deployments sign in with the identity provider.'),
  h('label', { for: 'dev-username' }, 'Username'), nameInput,
  h('label', { class: 'check' }, operatorBox, ' Operator'),
  h('button', { type: 'submit' }, 'Sign in'));
  replace(app, h('main', { class: 'centered' },
    h('h1', {}, 'Streamledger'),
    h('p', {}, 'Your accounts, live.'),
    session.providerSignIn ? h('a', { class: 'button', href: session.providerSignIn }, 'Sign in') : null,
    session.devSignIn ? devForm : null,
    !session.providerSignIn && !session.devSignIn ? h('p', { role: 'alert' }, 'This console has no way to sign in configured.') : null,
    h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' })));
  (session.devSignIn ? nameInput : app.querySelector('a'))?.focus();
}

// ---- the signed-in shell -------------------------------------------------------------------

function shell(): void {
  const signOut = h('button', { type: 'button', class: 'link', onclick: async () => {
    try {
      await call('POST', '/auth/sign-out');
    } catch {
      // signed out locally anyway
    }
    localStorage.removeItem(LAST_CALLER);
    feeds.closeAll();
    location.hash = '#/';
    location.reload();
  } }, 'Sign out');
  replace(app,
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#/' }, 'Streamledger'),
      h('nav', { 'aria-label': 'Main' },
        h('a', { href: '#/' }, 'Accounts'),
        caller.operator ? h('a', { href: '#/operator' }, 'Operations') : null),
      h('span', { id: 'online', class: 'badge' }),
      h('span', { class: 'who' }, caller.name), signOut),
    h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    h('main', { id: 'page' }));
  onlineBadge();
}

function onlineBadge(): void {
  const badge = document.getElementById('online');
  if (!badge) return;
  const online = navigator.onLine && isReachable();
  badge.textContent = online ? 'Live' : 'Offline — showing what this browser last saw';
  badge.className = online ? 'badge live' : 'badge offline';
}

function route(): void {
  const page = document.getElementById('page') as HTMLElement;
  const hash = location.hash || '#/';
  const account = /^#\/accounts\/([^/]+)$/.exec(hash);
  if (account) accountPage(page, decodeURIComponent(account[1]));
  else if (hash === '#/operator' && caller.operator) refreshPage = operatorPage(page, announce);
  else accountsPage(page);
  page.querySelector('h1')?.setAttribute('tabindex', '-1');
  page.querySelector<HTMLElement>('h1')?.focus();
}

// ---- accounts ------------------------------------------------------------------------------

function accountsPage(page: HTMLElement): void {
  document.title = 'Accounts · Streamledger';
  const registration = h('section', { 'aria-labelledby': 'register-heading' });
  const table = h('div', { id: 'accounts' });
  const history = h('div', { id: 'transfers' });

  const currency = h('select', { id: 'open-currency', name: 'currency' }, ...CURRENCIES.map((c) => h('option', { value: c }, c)));
  const openForm = h('form', { class: 'inline', onsubmit: (e: Event) => busy(e, async () => {
    try {
      const opened = (await call<AccountView>('POST', '/api/command/accounts', { owner: username, currency: currency.value },
        { 'Idempotency-Key': newKey() })).body;
      await replica.addAccount(opened.accountId, opened.owner, opened.currency);
      await feeds.follow(opened.accountId);
      announce(`Opened a ${opened.currency} account.`);
      scheduleRefresh();
    } catch (error) {
      announce(failure(error), 'error');
    }
  }) }, h('label', { for: 'open-currency' }, 'Currency'), currency, h('button', { type: 'submit' }, 'Open an account'));

  const from = h('select', { id: 'transfer-from', name: 'from', required: true });
  const to = h('input', { id: 'transfer-to', name: 'to', required: true, autocomplete: 'off', spellcheck: 'false' });
  const amount = h('input', { id: 'transfer-amount', name: 'amount', required: true, inputmode: 'decimal', autocomplete: 'off', pattern: '[0-9]+([.][0-9]+)?' });
  const transferForm = h('form', { class: 'card', 'aria-labelledby': 'send-heading', onsubmit: (e: Event) => busy(e, async () => {
    const source = (await replica.accounts()).find((a) => a.accountId === from.value);
    if (!source) return;
    const attempt = await transfers.send(source.accountId, to.value.trim(), amount.value.trim(), source.currency);
    announce(`Transfer of ${money(attempt.amount, attempt.currency)}: ${STATE_WORDS[attempt.state]}${attempt.message ? ' — ' + attempt.message : ''}`,
      attempt.state === 'REJECTED' || attempt.state === 'REFUNDED' || attempt.state === 'failed' ? 'error' : 'info');
    if (attempt.state !== 'failed') amount.value = '';
    scheduleRefresh();
  }) },
  h('h2', { id: 'send-heading' }, 'Send money'),
  h('label', { for: 'transfer-from' }, 'From'), from,
  h('label', { for: 'transfer-to' }, 'To account number'), to,
  h('label', { for: 'transfer-amount' }, 'Amount'), amount,
  h('button', { type: 'submit' }, 'Send'));

  replace(page,
    h('h1', {}, 'Your accounts'),
    registration,
    table,
    openForm,
    transferForm,
    h('section', { 'aria-labelledby': 'history-heading' }, h('h2', { id: 'history-heading' }, 'Transfers from this browser'), history));

  refreshPage = async () => {
    registrationSection(registration);
    // nothing to open or send before the username is registered
    openForm.hidden = transferForm.hidden = registered === false;
    const accounts = (await replica.accounts()).sort((a, b) => a.currency.localeCompare(b.currency) || a.accountId.localeCompare(b.accountId));
    replace(table, accounts.length === 0
      ? h('p', {}, registered === false ? 'Register a username to open accounts.' : 'No accounts yet.')
      : accountsTable(accounts));
    const chosen = from.value;
    replace(from, ...accounts.map((a) => h('option', { value: a.accountId, selected: a.accountId === chosen },
      `${shortId(a.accountId)} · ${money(a.balance, a.currency)}`)));
    const attempts = await recentTransfers();
    replace(history, attempts.length === 0 ? h('p', {}, 'None yet.') : h('ul', { class: 'transfers' }, ...attempts.map((t) =>
      h('li', { 'data-key': t.key, 'data-state': t.state },
        h('span', { class: `state ${t.state}` }, STATE_WORDS[t.state]), ' ',
        `${money(t.amount, t.currency)} to ${shortId(t.to)}`,
        t.message ? h('span', { class: 'why' }, ` — ${t.message}`) : null))));
  };
  refreshPage();
}

async function recentTransfers() {
  return (await replica.transfers()).slice(0, 20);
}

function accountsTable(accounts: AccountCopy[]): HTMLElement {
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Your accounts and their balances'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Account'), h('th', { scope: 'col' }, 'Currency'),
      h('th', { scope: 'col', class: 'number' }, 'Balance'), h('th', { scope: 'col', class: 'number' }, 'Version'))),
    h('tbody', {}, ...accounts.map((a) => h('tr', { 'data-account': a.accountId },
      h('td', {}, h('a', { href: `#/accounts/${encodeURIComponent(a.accountId)}` }, a.accountId)),
      h('td', {}, a.currency),
      h('td', { class: 'number balance' }, a.balance),
      h('td', { class: 'number' }, a.version)))));
}

function registrationSection(section: HTMLElement): void {
  if (registered !== false) {
    replace(section);
    return;
  }
  if (section.querySelector('form')) return;
  const name = h('input', { id: 'register-username', name: 'username', required: true, value: caller.name });
  const display = h('input', { id: 'register-display', name: 'displayName', autocomplete: 'name' });
  replace(section,
    h('h2', { id: 'register-heading' }, 'Choose your username'),
    h('form', { class: 'card', onsubmit: (e: Event) => busy(e, async () => {
      try {
        const user = (await call<UserView>('POST', '/api/command/users',
          { username: name.value.trim(), displayName: display.value.trim() || undefined }, { 'Idempotency-Key': newKey() })).body;
        username = user.username;
        registered = true;
        await replica.setMeta('username', username);
        announce(`Registered as ${username}.`);
        scheduleRefresh();
      } catch (error) {
        announce(failure(error), 'error');
      }
    }) },
    h('label', { for: 'register-username' }, 'Username'), name,
    h('label', { for: 'register-display' }, 'Display name (optional)'), display,
    h('button', { type: 'submit' }, 'Register')));
}

// ---- one account ---------------------------------------------------------------------------

function accountPage(page: HTMLElement, accountId: string): void {
  document.title = 'Account · Streamledger';
  const summary = h('div', { class: 'summary' });
  const statement = h('div', { id: 'statement' });
  replace(page, h('h1', {}, 'Account'), h('p', { class: 'account-id' }, accountId), summary,
    h('section', { 'aria-labelledby': 'statement-heading' }, h('h2', { id: 'statement-heading' }, 'Statement'), statement));
  refreshPage = async () => {
    const account = await replica.account(accountId);
    if (!account) {
      replace(summary, h('p', {}, 'This browser does not hold this account.'));
      return;
    }
    replace(summary, h('p', { class: 'big' }, h('span', { class: 'balance' }, account.balance), ' ', account.currency),
      h('p', { class: 'hint' }, `Version ${account.version} · owner ${account.owner}`));
    const lines = await replica.lines(accountId);
    replace(statement, lines.length === 0 ? h('p', {}, 'No entries yet.') : h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Statement, newest first'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'number' }, '#'), h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col', class: 'number' }, 'Amount'), h('th', { scope: 'col', class: 'number' }, 'Balance'))),
      h('tbody', {}, ...lines.map((line) => h('tr', { 'data-version': String(line.version) },
        h('td', { class: 'number' }, line.version),
        h('td', {}, when(line.occurredAt)),
        h('td', {}, KIND_WORDS[line.kind] ?? line.kind, line.transferId ? h('span', { class: 'hint' }, ` ${shortId(line.transferId)}`) : null),
        h('td', { class: 'number' }, line.amount),
        h('td', { class: 'number' }, line.balanceAfter))))));
  };
  refreshPage();
}

if ('serviceWorker' in navigator) {
  // keeps the app itself, so it opens offline (public/sw.js)
  void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
void start();
