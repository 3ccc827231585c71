// Live statements: one change feed (Server-Sent Events) per account, resumed from the version
// the replica holds. EventSource reconnects by itself with Last-Event-ID after a dropped
// connection; when it gives up (the console answered an error, or the browser went offline),
// the feed is opened again from the replica's version once the browser is back online.
import { reached } from './api';
import type { Replica, StatementLine } from './replica';

const KINDS = ['AccountOpened', 'FundsDeposited', 'FundsWithdrawn', 'TransferDebited', 'TransferCredited', 'TransferRefunded'];

export class Feeds {
  private readonly open = new Map<string, EventSource>();
  private readonly retries = new Map<string, number>();

  constructor(
    private readonly replica: Replica,
    private readonly changed: (accountId: string) => void,
  ) {
    window.addEventListener('online', () => this.reopenAll());
    // leaving the page: the feeds are closed first, not cut off by the navigation (which Firefox
    // reports as an error); a page restored from the back-forward cache opens them again
    window.addEventListener('beforeunload', () => this.suspend());
    window.addEventListener('pageshow', (event) => { if (event.persisted) this.reopenAll(); });
  }

  /** Follows the account from the version the replica holds (no-op when already followed). */
  async follow(accountId: string): Promise<void> {
    if (this.open.has(accountId)) return;
    const account = await this.replica.account(accountId);
    if (!account || this.open.has(accountId)) return;
    const source = new EventSource(`/api/query/accounts/${encodeURIComponent(accountId)}/events?after=${account.version}`);
    this.open.set(accountId, source);
    let queue = Promise.resolve();
    const received = (event: MessageEvent<string>) => {
      // lines are applied one after another, in the order they came
      queue = queue.then(() => this.receive(accountId, source, JSON.parse(event.data) as StatementLine))
        // a line that could not be applied (storage full, bad data): start again from what is held
        .catch(() => { if (this.open.get(accountId) === source) this.reopenLater(accountId, source); });
    };
    for (const kind of KINDS) source.addEventListener(kind, received as EventListener);
    source.onopen = () => {
      this.retries.delete(accountId);
      reached(true); // the console answers again, whatever navigator.onLine says
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) this.reopenLater(accountId, source);
    };
  }

  private async receive(accountId: string, source: EventSource, line: StatementLine): Promise<void> {
    if (this.open.get(accountId) !== source) return; // a feed already replaced
    const applied = await this.replica.apply(accountId, line);
    if (applied === 'applied') this.changed(accountId);
    if (applied === 'gap') this.reopen(accountId); // resume from what the replica holds
  }

  private reopenLater(accountId: string, source: EventSource): void {
    if (this.open.get(accountId) !== source) return;
    source.close();
    this.open.delete(accountId);
    const attempt = (this.retries.get(accountId) ?? 0) + 1;
    this.retries.set(accountId, attempt);
    if (!navigator.onLine) return; // the 'online' event opens it again
    setTimeout(() => void this.follow(accountId), Math.min(30_000, 500 * 2 ** attempt));
  }

  private reopen(accountId: string): void {
    this.open.get(accountId)?.close();
    this.open.delete(accountId);
    void this.follow(accountId);
  }

  private reopenAll(): void {
    for (const accountId of [...this.open.keys()]) this.reopen(accountId);
    for (const accountId of [...this.retries.keys()]) void this.follow(accountId);
  }

  private suspend(): void {
    for (const [accountId, source] of this.open) {
      source.close();
      this.retries.set(accountId, 0);
    }
    this.open.clear();
  }

  closeAll(): void {
    for (const source of this.open.values()) source.close();
    this.open.clear();
  }
}
