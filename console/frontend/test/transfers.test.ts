import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../src/api';
import { refusedState } from '../src/transfers';

describe('a refused transfer', () => {
  it('is what the command service says it became, not what the console guesses from the problem', () => {
    const refunded = new ApiProblem(422, 'account-not-found', "no account 'b' to credit; the amount was refunded",
      undefined, { transferStatus: 'REFUNDED' });
    // the same problem for the source account: the money never left
    const rejected = new ApiProblem(422, 'account-not-found', "no account 'a'", undefined,
      { transferStatus: 'REJECTED' });
    expect(refusedState(refunded)).toBe('REFUNDED');
    expect(refusedState(rejected)).toBe('REJECTED');
  });

  it('is rejected when the request itself was refused, with no transfer status', () => {
    expect(refusedState(new ApiProblem(422, 'idempotency-key-reused', 'another request', undefined))).toBe('REJECTED');
  });
});
