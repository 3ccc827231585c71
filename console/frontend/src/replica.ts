// The browser's replica of the ledger (IndexedDB): the caller's accounts with the last version
// seen of each, their statement lines, and the transfers this browser sent (with their keys).
// Lines are applied strictly in version order, so the replica is always a prefix of the
// account's history: a line already seen is a duplicate and skipped, a line beyond the next one
// is a gap and refused (the feed is then resumed from the last version held).

export interface StatementLine {
  version: number;
  kind: string;
  amount: string;
  balanceAfter: string;
  transferId?: string | null;
  requestId?: string | null;
  occurredAt?: string;
  recordedAt?: string;
}

export interface AccountCopy {
  accountId: string;
  owner: string;
  currency: string;
  /** the balance after the last line held; "0" before the first */
  balance: string;
  /** the version of the last line held (0: none yet) */
  version: number;
}

export type TransferState = 'queued' | 'sending' | 'pending' | 'COMPLETED' | 'REJECTED' | 'REFUNDED' | 'failed';

export interface TransferAttempt {
  /** the Idempotency-Key, made once per attempt and kept until the answer is definite */
  key: string;
  from: string;
  to: string;
  amount: string;
  currency: string;
  createdAt: string;
  state: TransferState;
  transferId?: string;
  message?: string;
}

export type Applied = 'applied' | 'duplicate' | 'gap' | 'unknown-account';

const VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

export class Replica {
  private constructor(private readonly db: IDBDatabase) {}

  /** The replica of {@code subject} (one database per signed-in user of this browser). */
  static async open(subject: string, factory: IDBFactory = indexedDB): Promise<Replica> {
    const request = factory.open(`streamledger-console:${subject}`, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('accounts', { keyPath: 'accountId' });
      db.createObjectStore('lines', { keyPath: ['accountId', 'version'] });
      db.createObjectStore('transfers', { keyPath: 'key' });
      db.createObjectStore('meta');
    };
    return new Replica(await promised(request));
  }

  close(): void {
    this.db.close();
  }

  async accounts(): Promise<AccountCopy[]> {
    const tx = this.db.transaction('accounts');
    return promised(tx.objectStore('accounts').getAll() as IDBRequest<AccountCopy[]>);
  }

  async account(accountId: string): Promise<AccountCopy | undefined> {
    return promised(this.db.transaction('accounts').objectStore('accounts').get(accountId) as IDBRequest<AccountCopy | undefined>);
  }

  /** Adds an account the caller holds, at version 0; one already held is kept as it is. */
  async addAccount(accountId: string, owner: string, currency: string): Promise<void> {
    const tx = this.db.transaction('accounts', 'readwrite');
    const store = tx.objectStore('accounts');
    const existing = await promised(store.get(accountId));
    if (!existing) store.put({ accountId, owner, currency, balance: '0', version: 0 } satisfies AccountCopy);
    await done(tx);
  }

  /** The account's lines, newest first. */
  async lines(accountId: string): Promise<StatementLine[]> {
    const range = IDBKeyRange.bound([accountId, 0], [accountId, Number.MAX_SAFE_INTEGER]);
    const rows = await promised(this.db.transaction('lines').objectStore('lines').getAll(range) as IDBRequest<(StatementLine & { accountId: string })[]>);
    return rows.map(({ accountId: _, ...line }) => line).reverse();
  }

  /** Applies the account's next line, in one transaction with the account's version and balance. */
  async apply(accountId: string, line: StatementLine): Promise<Applied> {
    const tx = this.db.transaction(['accounts', 'lines'], 'readwrite');
    const accounts = tx.objectStore('accounts');
    const account = (await promised(accounts.get(accountId))) as AccountCopy | undefined;
    let result: Applied;
    if (!account) {
      result = 'unknown-account';
    } else if (line.version <= account.version) {
      result = 'duplicate';
    } else if (line.version !== account.version + 1) {
      result = 'gap';
    } else {
      tx.objectStore('lines').put({ ...line, accountId });
      accounts.put({ ...account, version: line.version, balance: line.balanceAfter });
      result = 'applied';
    }
    await done(tx);
    return result;
  }

  async transfers(): Promise<TransferAttempt[]> {
    const all = await promised(this.db.transaction('transfers').objectStore('transfers').getAll() as IDBRequest<TransferAttempt[]>);
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async transfer(key: string): Promise<TransferAttempt | undefined> {
    return promised(this.db.transaction('transfers').objectStore('transfers').get(key) as IDBRequest<TransferAttempt | undefined>);
  }

  async saveTransfer(attempt: TransferAttempt): Promise<void> {
    const tx = this.db.transaction('transfers', 'readwrite');
    tx.objectStore('transfers').put(attempt);
    await done(tx);
  }

  async meta<T>(name: string): Promise<T | undefined> {
    return promised(this.db.transaction('meta').objectStore('meta').get(name) as IDBRequest<T | undefined>);
  }

  async setMeta(name: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(value, name);
    await done(tx);
  }
}
