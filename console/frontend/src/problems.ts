// Every problem+json the services answer, in plain words (the code is the type's last segment).
const WORDS: Record<string, string> = {
  'insufficient-funds': 'There is not enough money in the account for this.',
  'account-not-found': 'There is no account with that number.',
  'currency-mismatch': 'The two accounts hold different currencies.',
  'same-account': 'An account cannot send money to itself.',
  'invalid-amount': 'The amount is not valid for this currency.',
  'invalid-account-id': 'That is not an account number.',
  'invalid-username': 'A username is letters, digits, dots, dashes or underscores.',
  'invalid-display-name': 'That display name cannot be used.',
  'invalid-currency': 'That currency is not supported.',
  'username-taken': 'Somebody already has that username.',
  'owner-not-found': 'Register your username before opening an account.',
  'user-not-found': 'There is no such user.',
  'user-has-accounts': 'The user still has accounts.',
  forbidden: 'You are not allowed to do that.',
  unauthorized: 'Your session has ended. Please sign in again.',
  'not-found': 'Not found.',
  'too-many-requests': 'Too many requests at once. Try again in a moment.',
  'kafka-unavailable': 'The ledger is not taking requests right now. Nothing was changed; try again.',
  'not-ready': 'The ledger is starting or moving data. Try again in a moment.',
  'not-yet-consistent': 'Your last change is not visible yet. Try again in a moment.',
  'bad-gateway': 'A service of the ledger did not answer. Try again.',
  'internal-error': 'Something went wrong on our side. Nothing was lost; try again.',
};

export function describeProblem(code: string, status: number, detail: string): string {
  const words = WORDS[code];
  if (words) return words;
  if (status >= 500) return 'The ledger could not answer right now. Try again.';
  return detail ? detail.charAt(0).toUpperCase() + detail.slice(1) + '.' : `The request failed (${status}).`;
}
