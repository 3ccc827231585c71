import { describe, expect, it } from 'vitest';
import { describeProblem } from '../src/problems';

describe('problems in plain words', () => {
  it('says what a known problem means, whatever its detail', () => {
    expect(describeProblem('insufficient-funds', 422, 'the balance is 1.00 EUR, 5.00 cannot be taken from it'))
      .toBe('There is not enough money in the account for this.');
  });

  it('falls back to the detail of an unknown problem, and to a retry hint for a server error', () => {
    expect(describeProblem('something-new', 400, 'the thing is wrong')).toBe('The thing is wrong.');
    expect(describeProblem('something-new', 503, '')).toBe('The ledger could not answer right now. Try again.');
  });
});
