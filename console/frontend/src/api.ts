// Calls to the console's backend-for-frontend. The browser never holds a token: the session
// cookie goes with every request (same origin) and, on a request that changes something, the
// CSRF token the console set in the XSRF-TOKEN cookie goes back in the X-XSRF-TOKEN header.
import { describeProblem } from './problems';

/** An RFC 9457 problem a service (or the console) answered, with its words for people. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly retryAfter: number | undefined,
    /** the problem's own members beside RFC 9457's (a refused transfer's `transferStatus`) */
    readonly members: Record<string, unknown> = {},
  ) {
    super(describeProblem(code, status, detail));
  }
}

/** The request did not reach the console: the browser is offline, or the console is down. */
export class Unreachable extends Error {
  constructor() {
    super('The console cannot be reached: you seem to be offline.');
  }
}

/**
 * Whether the console answered the last call made to it. `navigator.onLine` says only that the
 * device has a network: a browser can say online with no way through (a captive portal, a dead
 * link — and Chromium's offline emulation for a page reloaded while offline), so the app is
 * offline when either says so, and back when the console answers again.
 */
let reachable = true;

export function isReachable(): boolean {
  return reachable;
}

/** Notes whether the console answered; a change is told as a `reachability` event on window. */
export function reached(answered: boolean): void {
  if (reachable === answered) return;
  reachable = answered;
  window.dispatchEvent(new Event('reachability'));
}

export interface Answer<T> {
  status: number;
  body: T;
}

function csrfToken(): string | undefined {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : undefined;
}

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const sent: Record<string, string> = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) sent['X-XSRF-TOKEN'] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    reached(false);
    throw new Unreachable();
  }
  reached(true);
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as { type?: string; detail?: string } & Record<string, unknown>;
    const code = (problem.type ?? '').split('/').pop() || String(response.status);
    const retry = response.headers.get('Retry-After');
    throw new ApiProblem(response.status, code, problem.detail ?? response.statusText, retry ? Number(retry) : undefined,
      problem);
  }
  return { status: response.status, body: parsed as T };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A new Idempotency-Key: kept with the attempt until its answer is definite. */
export function newKey(): string {
  return crypto.randomUUID();
}
