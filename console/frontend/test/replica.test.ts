import { IDBFactory } from 'fake-indexeddb';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Replica, type StatementLine } from '../src/replica';

function line(version: number, balanceAfter: string): StatementLine {
  return { version, kind: 'FundsDeposited', amount: '1.00', balanceAfter };
}

describe('the replica', () => {
  it('applies lines in version order only: a duplicate is skipped, a gap refused, and nothing changes for either', async () => {
    const replica = await Replica.open('alice', new IDBFactory());
    await replica.addAccount('a1', 'alice', 'EUR');
    expect(await replica.apply('a1', line(1, '0.00'))).toBe('applied');
    expect(await replica.apply('a1', line(2, '1.00'))).toBe('applied');
    expect(await replica.apply('a1', line(2, '9.00'))).toBe('duplicate');
    expect(await replica.apply('a1', line(4, '3.00'))).toBe('gap');
    expect(await replica.account('a1')).toMatchObject({ version: 2, balance: '1.00' });
    expect((await replica.lines('a1')).map((l) => l.version)).toEqual([2, 1]);
    expect(await replica.apply('a1', line(3, '2.00'))).toBe('applied');
    expect(await replica.account('a1')).toMatchObject({ version: 3, balance: '2.00' });
  });

  it('keeps an account it holds when it is added again, and knows no line of an account it does not hold', async () => {
    const replica = await Replica.open('bob', new IDBFactory());
    await replica.addAccount('b1', 'bob', 'EUR');
    await replica.apply('b1', line(1, '5.00'));
    await replica.addAccount('b1', 'bob', 'EUR');
    expect(await replica.account('b1')).toMatchObject({ version: 1, balance: '5.00' });
    expect(await replica.apply('nope', line(1, '1.00'))).toBe('unknown-account');
  });

  it('keeps each user apart and survives being opened again', async () => {
    const factory = new IDBFactory();
    const first = await Replica.open('carol', factory);
    await first.addAccount('c1', 'carol', 'USD');
    await first.saveTransfer({ key: 'k1', from: 'c1', to: 'x', amount: '1.00', currency: 'USD', createdAt: '2026-01-01T00:00:00Z', state: 'queued' });
    first.close();
    const again = await Replica.open('carol', factory);
    expect((await again.accounts()).map((a) => a.accountId)).toEqual(['c1']);
    expect((await again.transfers())[0]).toMatchObject({ key: 'k1', state: 'queued' });
    const other = await Replica.open('dave', factory);
    expect(await other.accounts()).toEqual([]);
  });
});
