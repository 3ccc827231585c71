// The operators' page: the audit (money conserved per currency, in flight, negative balances —
// which must be none), throughput and round trip over time, consumer lag per partition of each
// service, the dead letters with their reason and origin, the views' digests; and deposits.
import { call, newKey } from './api';
import { lineChart, type Point } from './chart';
import { busy, h, replace } from './dom';

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

interface Target {
  name: string;
  up: boolean;
  commands: { count: number; seconds: number } | null;
  lag: { topic: string; partition: number; records: number }[];
}

interface Metrics {
  takenAt: string;
  targets: Target[];
}

interface DeadLetter {
  partition: number;
  offset: number;
  timestamp: string;
  reason: string | null;
  processor: string | null;
  origin: { topic: string | null; partition: number | null; offset: number | null };
  key: string | null;
  valueBytes: number;
}

interface Digests {
  caughtUp: boolean;
  complete: boolean;
  recordsRead: number;
  views: Record<string, { digest: string; entries: number }>;
}

const EVERY_MS = 2000;
const KEEP_POINTS = 90; // three minutes of readings

/** Builds the page in {@code page}; returns what refreshes it. */
export function operatorPage(page: HTMLElement, announce: (message: string, kind?: 'info' | 'error') => void): () => void {
  document.title = 'Operations · Streamledger';
  const audit = h('div', { id: 'audit' }, h('p', {}, 'Counting…'));
  const checked = h('p', { class: 'hint', id: 'audit-time' });
  const account = h('input', { id: 'deposit-account', name: 'account', required: true, autocomplete: 'off', spellcheck: 'false' });
  const amount = h('input', { id: 'deposit-amount', name: 'amount', required: true, inputmode: 'decimal', autocomplete: 'off' });
  const deposit = h('form', { class: 'card', 'aria-labelledby': 'deposit-heading', onsubmit: (e: Event) => busy(e, async () => {
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
  }) },
  h('h2', { id: 'deposit-heading' }, 'Deposit'),
  h('label', { for: 'deposit-account' }, 'Account number'), account,
  h('label', { for: 'deposit-amount' }, 'Amount'), amount,
  h('button', { type: 'submit' }, 'Deposit'));

  const charts = h('div', { class: 'charts', id: 'charts' });
  const lag = h('div', { id: 'lag' });
  const letters = h('div', { id: 'dead-letters' });
  const views = h('div', { id: 'views' });
  replace(page, h('h1', {}, 'Operations'),
    h('section', { 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Audit'),
      h('p', { class: 'hint' }, 'Every currency must balance: balances = deposited − withdrawn − in flight, and no balance may be negative.'),
      audit, checked),
    h('section', { 'aria-labelledby': 'traffic-heading' }, h('h2', { id: 'traffic-heading' }, 'Commands'), charts),
    h('section', { 'aria-labelledby': 'lag-heading' }, h('h2', { id: 'lag-heading' }, 'Consumer lag'),
      h('p', { class: 'hint' }, 'Records each service has yet to read, per partition.'), lag),
    h('section', { 'aria-labelledby': 'letters-heading' }, h('h2', { id: 'letters-heading' }, 'Dead letters'),
      h('p', { class: 'hint' }, 'Records a processor could not use, parked with the reason; the partition they came from went on.'), letters),
    h('section', { 'aria-labelledby': 'views-heading' }, h('h2', { id: 'views-heading' }, 'Read views'), views),
    deposit);

  const throughput: Point[] = [];
  const latency: Point[] = [];
  let previous: { at: number; count: number; seconds: number } | undefined;

  let timer: number | undefined;
  const refresh = async () => {
    window.clearTimeout(timer);
    if (!page.contains(audit)) return; // the page was left
    const words = (error: unknown) => h('p', { class: 'status error' }, error instanceof Error ? error.message : String(error));
    await Promise.all([
      call<Audit>('GET', '/api/query/audit').then((answer) => {
        replace(audit, auditTable(answer.body));
        checked.textContent = `Counted at ${new Date().toLocaleTimeString()} over ${answer.body.partitions} partitions.`;
      }, (error) => { checked.textContent = error instanceof Error ? error.message : String(error); }),
      call<Metrics>('GET', '/api/ops/metrics').then((answer) => {
        const at = Date.parse(answer.body.takenAt);
        const totals = answer.body.targets.reduce((sum, t) => ({
          count: sum.count + (t.commands?.count ?? 0), seconds: sum.seconds + (t.commands?.seconds ?? 0) }), { count: 0, seconds: 0 });
        if (previous && at > previous.at && totals.count >= previous.count) {
          const answered = totals.count - previous.count;
          throughput.push({ at, value: answered / ((at - previous.at) / 1000) });
          latency.push({ at, value: answered > 0 ? ((totals.seconds - previous.seconds) / answered) * 1000 : 0 });
          if (throughput.length > KEEP_POINTS) { throughput.shift(); latency.shift(); }
        }
        previous = { at, ...totals };
        replace(charts,
          h('figure', {}, h('figcaption', {}, 'Commands answered per second'), lineChart(throughput, 'Commands answered per second', '/s')),
          h('figure', {}, h('figcaption', {}, 'Mean round trip'), lineChart(latency, 'Mean round trip of a command', 'ms')));
        replace(lag, lagTable(answer.body.targets));
      }, (error) => replace(lag, words(error))),
      call<{ letters: DeadLetter[] }>('GET', '/api/query/dead-letters?limit=10').then(
        (answer) => replace(letters, lettersTable(answer.body.letters)), (error) => replace(letters, words(error))),
      call<Digests>('GET', '/api/query/views/digests').then(
        (answer) => replace(views, viewsTable(answer.body)), (error) => replace(views, words(error))),
    ]);
    timer = window.setTimeout(() => void refresh(), EVERY_MS);
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

function lagTable(targets: Target[]): HTMLElement {
  // one row per service and topic: the total, and each partition's lag
  const rows = new Map<string, { service: string; topic: string; partitions: { partition: number; records: number }[] }>();
  for (const target of targets.filter((t) => t.up)) {
    for (const lag of target.lag) {
      const key = `${target.name} ${lag.topic}`;
      const row = rows.get(key) ?? { service: target.name, topic: lag.topic, partitions: [] };
      row.partitions.push({ partition: lag.partition, records: lag.records });
      rows.set(key, row);
    }
  }
  const down = targets.filter((t) => !t.up).map((t) => t.name);
  return h('div', {},
    down.length ? h('p', { class: 'status error' }, `Not answering: ${down.join(', ')}.`) : null,
    rows.size === 0 ? h('p', {}, 'No consumer has reported its lag yet.') : h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Consumer lag per service and topic, and per partition'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Service'), h('th', { scope: 'col' }, 'Topic'),
        h('th', { scope: 'col', class: 'number' }, 'Lag (records)'), h('th', { scope: 'col' }, 'Per partition'))),
      h('tbody', {}, ...[...rows.values()].map((r) => {
        const total = r.partitions.reduce((sum, p) => sum + p.records, 0);
        return h('tr', { 'data-lag': `${r.service} ${r.topic}` },
          h('td', {}, r.service), h('td', {}, r.topic),
          h('td', { class: `number ${total > 0 ? 'bad' : ''}` }, total),
          h('td', { class: 'hint' }, r.partitions.sort((a, b) => a.partition - b.partition)
            .map((p) => `${p.partition}: ${p.records}`).join(' · ')));
      }))));
}

function lettersTable(letters: DeadLetter[]): HTMLElement {
  if (letters.length === 0) return h('p', {}, 'None. Nothing was parked.');
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, 'The newest dead letters'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Reason'),
      h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Parked by'))),
    h('tbody', {}, ...letters.map((l) => h('tr', { 'data-dead-letter': `${l.partition}:${l.offset}` },
      h('td', {}, new Date(l.timestamp).toLocaleString()),
      h('td', { class: 'reason', title: l.reason ?? '' }, shorten(l.reason ?? '(no reason given)')),
      h('td', {}, l.origin.topic ? `${l.origin.topic} ${l.origin.partition}:${l.origin.offset}` : 'unknown'),
      h('td', {}, l.key ?? '(none)'),
      h('td', {}, l.processor ?? '')))));
}

/** A reason's first words: the whole of it is the cell's title. */
function shorten(reason: string): string {
  return reason.length > 140 ? `${reason.substring(0, 140)}…` : reason;
}

function viewsTable(digests: Digests): HTMLElement {
  return h('div', {},
    h('p', {}, digests.caughtUp && digests.complete
      ? `Caught up: every view is folded to the end of its topics (${digests.recordsRead} records read).`
      : 'Catching up: the views are still being folded or restored.'),
    h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Read views and their digests'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'View'), h('th', { scope: 'col', class: 'number' }, 'Entries'),
        h('th', { scope: 'col' }, 'Digest'))),
      h('tbody', {}, ...Object.entries(digests.views).map(([name, view]) => h('tr', {},
        h('td', {}, name), h('td', { class: 'number' }, view.entries), h('td', { class: 'account-id' }, view.digest))))));
}
