// Transfers this browser sends. Each attempt gets its Idempotency-Key when it is made and keeps it,
// in the replica, until the answer is definite: sent again after a lost connection, a reload or a
// time offline, the command service gives the same answer and money moves at most once.
import { ApiProblem, Unreachable, call, newKey } from './api';
import type { Replica, TransferAttempt, TransferState } from './replica';

interface TransferAnswer {
  transferId?: string;
  requestId?: string;
  status: string;
}

const SENDABLE = new Set<TransferState>(['queued', 'sending', 'pending']);
/** The command service remembers a key for 8 days (docs/clients.md); a retry must come well within. */
const GIVE_UP_AFTER_MS = 6 * 24 * 3600 * 1000;

/**
 * Whether an answer leaves the attempt undecided, to be sent again with its key: no answer, a
 * server error, too many requests, a request timeout, the key still being decided (409), or the
 * console refusing the session (signed out, 401) or its CSRF token (403): the ledger did not
 * refuse the transfer, the way there did.
 */
function undecided(e: unknown): boolean {
  if (e instanceof Unreachable) return true;
  if (!(e instanceof ApiProblem)) return false;
  return e.status >= 500 || e.status === 429 || e.status === 408 || e.status === 409 || e.status === 401
    || (e.status === 403 && /CSRF/.test(e.detail));
}

/**
 * What a refused transfer (422) became, as the command service says in the problem's
 * `transferStatus`: refunded when the money left and came back (no account to credit, another
 * currency), otherwise rejected — also for a refusal of the request itself, which has none.
 */
export function refusedState(problem: ApiProblem): TransferState {
  return problem.members.transferStatus === 'REFUNDED' ? 'REFUNDED' : 'REJECTED';
}

export class Transfers {
  private running = false;
  /** keys being sent by this tab now (other tabs are kept out by a Web Lock where there are locks) */
  private readonly inFlight = new Set<string>();
  /** the console said the session is over: nothing is sent until the user signs in again */
  private signedOut = false;

  constructor(
    private readonly replica: Replica,
    private readonly changed: () => void,
  ) {
    window.addEventListener('online', () => void this.flush());
    setInterval(() => void this.flush(), 3000);
  }

  /** Records the attempt (with its key) first, then sends it; offline it waits in the replica. */
  async send(from: string, to: string, amount: string, currency: string): Promise<TransferAttempt> {
    const attempt: TransferAttempt = { key: newKey(), from, to, amount, currency, createdAt: new Date().toISOString(), state: 'queued' };
    await this.replica.saveTransfer(attempt);
    this.changed();
    await this.deliver(attempt.key);
    return (await this.replica.transfer(attempt.key)) ?? attempt;
  }

  /** Sends every attempt without a definite answer, and asks after pending transfers. */
  async flush(): Promise<void> {
    if (this.running || this.signedOut || !navigator.onLine) return;
    this.running = true;
    try {
      for (const attempt of await this.replica.transfers()) {
        if (SENDABLE.has(attempt.state)) await this.deliver(attempt.key);
      }
    } finally {
      this.running = false;
    }
  }

  /** Sends the attempt once, in one tab at a time, if it is still undecided when its turn comes. */
  private async deliver(key: string): Promise<void> {
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      if (navigator.locks) {
        await navigator.locks.request(`streamledger-transfer:${key}`, { ifAvailable: true },
          async (lock) => { if (lock) await this.deliverOnce(key); });
      } else {
        await this.deliverOnce(key);
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async deliverOnce(key: string): Promise<void> {
    const attempt = await this.replica.transfer(key); // as it is now, not as some list read it
    if (!attempt || !SENDABLE.has(attempt.state)) return;
    if (Date.now() - Date.parse(attempt.createdAt) > GIVE_UP_AFTER_MS) {
      await this.update(attempt, { state: 'failed',
        message: 'Not sent for six days, so it is no longer retried: check the statement before sending it again.' });
      return;
    }
    if (attempt.state === 'pending' && attempt.transferId) {
      await this.followUp(attempt, attempt.transferId);
      return;
    }
    await this.update(attempt, { state: 'sending' });
    try {
      const answer = await call<TransferAnswer>('POST', '/api/command/transfers',
        { from: attempt.from, to: attempt.to, amount: attempt.amount }, { 'Idempotency-Key': attempt.key });
      const final = answer.status === 201 ? (answer.body.status as TransferState) : 'pending';
      await this.update(attempt, { state: final, transferId: answer.body.transferId, message: undefined });
    } catch (e) {
      if (undecided(e)) {
        if (e instanceof ApiProblem && e.status === 401) this.signedOut = true;
        await this.update(attempt, { state: 'queued', message: e instanceof Error ? e.message : String(e) });
      } else if (e instanceof ApiProblem && e.status === 422) {
        await this.update(attempt, { state: refusedState(e), message: e.message });
      } else {
        await this.update(attempt, { state: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** A 202 with a transfer id: its status, once it is final. */
  private async followUp(attempt: TransferAttempt, transferId: string): Promise<void> {
    try {
      const answer = await call<TransferAnswer>('GET', `/api/query/transfers/${encodeURIComponent(transferId)}`);
      if (answer.body.status !== 'PENDING') await this.update(attempt, { state: answer.body.status as TransferState });
    } catch {
      // still unknown (404 until its first stage is decided) or offline: asked again later
    }
  }

  private async update(attempt: TransferAttempt, change: Partial<TransferAttempt>): Promise<void> {
    Object.assign(attempt, change);
    await this.replica.saveTransfer(attempt);
    this.changed();
  }
}
