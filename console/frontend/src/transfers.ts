// Transfers this browser sends. Each attempt gets its Idempotency-Key when it is made and keeps it,
// in the replica, until the answer is definite: sent again after a lost connection, a reload or a
// time offline, the command service gives the same answer and money moves at most once.
import { ApiProblem, Unreachable, call, newKey } from './api';
import type { Replica, TransferAttempt } from './replica';

interface TransferAnswer {
  transferId?: string;
  requestId?: string;
  status: string;
}

const REFUNDS = new Set(['account-not-found', 'currency-mismatch']);

export class Transfers {
  private running = false;
  /** keys being sent now (a send and a flush may meet; the key would make a second send harmless) */
  private readonly inFlight = new Set<string>();

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
    await this.deliver(attempt);
    return attempt;
  }

  /** Sends every attempt without a definite answer, and asks after pending transfers. */
  async flush(): Promise<void> {
    if (this.running || !navigator.onLine) return;
    this.running = true;
    try {
      for (const attempt of await this.replica.transfers()) {
        if (attempt.state === 'queued' || attempt.state === 'sending') await this.deliver(attempt);
        else if (attempt.state === 'pending') await this.followUp(attempt);
      }
    } finally {
      this.running = false;
    }
  }

  private async deliver(attempt: TransferAttempt): Promise<void> {
    if (this.inFlight.has(attempt.key)) return;
    this.inFlight.add(attempt.key);
    try {
      await this.deliverOnce(attempt);
    } finally {
      this.inFlight.delete(attempt.key);
    }
  }

  private async deliverOnce(attempt: TransferAttempt): Promise<void> {
    await this.update(attempt, { state: 'sending' });
    try {
      const answer = await call<TransferAnswer>('POST', '/api/command/transfers',
        { from: attempt.from, to: attempt.to, amount: attempt.amount }, { 'Idempotency-Key': attempt.key });
      const final = answer.status === 201 ? (answer.body.status as TransferAttempt['state']) : 'pending';
      await this.update(attempt, { state: final, transferId: answer.body.transferId, message: undefined });
    } catch (e) {
      if (e instanceof Unreachable || (e instanceof ApiProblem && (e.status >= 500 || e.status === 429 || e.status === 408))) {
        // not definite: the same key goes again later
        await this.update(attempt, { state: 'queued', message: e.message });
      } else if (e instanceof ApiProblem && e.status === 422) {
        await this.update(attempt, { state: REFUNDS.has(e.code) ? 'REFUNDED' : 'REJECTED', message: e.message });
      } else {
        await this.update(attempt, { state: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** A 202: the transfer's status when it is known, else the same request again (same key). */
  private async followUp(attempt: TransferAttempt): Promise<void> {
    if (!attempt.transferId) {
      await this.deliver(attempt);
      return;
    }
    try {
      const answer = await call<TransferAnswer>('GET', `/api/query/transfers/${encodeURIComponent(attempt.transferId)}`);
      if (answer.body.status !== 'PENDING') await this.update(attempt, { state: answer.body.status as TransferAttempt['state'] });
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
