// The console in Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi —
// no patched browser needed) against a running console: CONSOLE_URL (default
// http://127.0.0.1:8084). A shorter round than console.e2e.mjs, which runs in Chromium: two users
// sign in, register and open accounts; the operator's deposit and a transfer reach the other page
// live (change feeds); a reload shows the replica from IndexedDB; the browser console stays clean.
// (Offline emulation is not part of it: Firefox's WebDriver BiDi has no offline mode yet.)
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { until } from './until.mjs';

const URL = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8084';
const run = Date.now().toString(36);

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
  headless: true,
  extraPrefsFirefox: {
    // nothing but the console: no updates, no telemetry, no captive-portal probes
    'app.update.enabled': false,
    'network.captive-portal-service.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
  },
});
const errors = [];
// Firefox logs a change feed the page's own reload cuts (closed in beforeunload, or caught
// reconnecting) as a console error; only those, and only across the reload, are not the app's
let reloading = false;
const CUT_BY_RELOAD = /(can’t establish a connection to the server at|The connection to) \S*\/events\?after=/;

async function user(label) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${label}: ${e.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || (reloading && CUT_BY_RELOAD.test(message.text()))) return;
    errors.push(`${label}: ${message.text()}`);
  });
  return { page, label };
}

async function press({ page }, text) {
  await until(`the button "${text}"`, () => page.evaluate((t) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === t);
    button?.click();
    return Boolean(button);
  }, text));
}

async function text({ page }, selector) {
  return page.evaluate((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
}

async function signInAndOpen(who, username, operator = false) {
  await who.page.goto(URL);
  await who.page.waitForSelector('#dev-username');
  await who.page.type('#dev-username', username);
  if (operator) await who.page.click('#dev-operator');
  await press(who, 'Sign in');
  await who.page.waitForSelector('#register-username', { timeout: 20_000 });
  await press(who, 'Register');
  await until('the registration', async () => (await who.page.$('#register-username')) === null);
  await press(who, 'Open an account');
  return until('the account', () => who.page.evaluate(() => document.querySelector('tr[data-account]')?.getAttribute('data-account')));
}

async function balance(who, account) {
  return text(who, `tr[data-account="${account}"] .balance`);
}

try {
  const alice = await user('alice');
  const ops = await user('ops');
  const a = await signInAndOpen(alice, `fx-alice-${run}`);
  const o = await signInAndOpen(ops, `fx-ops-${run}`, true);

  await ops.page.goto(`${URL}/#/operator`);
  await ops.page.waitForSelector('#deposit-account');
  await ops.page.type('#deposit-account', a);
  await ops.page.type('#deposit-amount', '50.00');
  await press(ops, 'Deposit');
  await until("the deposit on alice's page, live", async () => (await balance(alice, a)) === '50.00');

  await alice.page.type('#transfer-to', o);
  await alice.page.type('#transfer-amount', '20.00');
  await press(alice, 'Send');
  await until('the transfer completed', async () => (await alice.page.evaluate(
    () => document.querySelector('ul.transfers li')?.getAttribute('data-state'))) === 'COMPLETED');
  await until("alice's balance", async () => (await balance(alice, a)) === '30.00');
  await ops.page.goto(`${URL}/#/`);
  await until("the operator's account credited", async () => (await balance(ops, o)) === '20.00');

  // the replica: a reload shows what IndexedDB holds, and the statement line by line
  reloading = true;
  await alice.page.reload();
  await until('the replica after a reload', async () => (await balance(alice, a)) === '30.00');
  reloading = false;
  await alice.page.goto(`${URL}/#/accounts/${a}`);
  await until('the statement', async () => (await alice.page.$$('tr[data-version]')).length === 3);

  assert.deepEqual(errors, [], 'errors in the browser console');
  console.log('firefox e2e: passed');
} finally {
  await browser.close();
}
