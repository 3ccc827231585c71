// How the ledger's terms read for people.
import type { TransferState } from './replica';

export const KIND_WORDS: Record<string, string> = {
  AccountOpened: 'Account opened',
  FundsDeposited: 'Deposit',
  FundsWithdrawn: 'Withdrawal',
  TransferDebited: 'Transfer sent',
  TransferCredited: 'Transfer received',
  TransferRefunded: 'Transfer refunded',
};

export const STATE_WORDS: Record<TransferState, string> = {
  queued: 'Waiting to be sent',
  sending: 'Sending…',
  pending: 'Pending',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  REFUNDED: 'Refunded',
  failed: 'Not sent',
};

export function money(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

export function shortId(id: string): string {
  return id.length > 8 ? id.substring(0, 8) + '…' : id;
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
