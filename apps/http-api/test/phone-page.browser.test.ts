import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import {
  installationId,
  parseConfirmationId,
  parseProductKey,
  unwrap,
  verifyConfirmationId,
} from '@slm/core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, newMachine } from './harness.js';

// Debian's Chromium, started the way a closed network needs (no background connections).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let h: Harness;
let browser: Browser;
let server: ReturnType<typeof serve>;
let url: string;

beforeAll(async () => {
  h = await createHarness();
  server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

async function submit(iid: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto(`${url}/phone`);
  await page.fill('#iid', iid);
  await page.click('button[type=submit]');
  return page;
}

describe('the phone activation page, in headless Chromium', () => {
  it('when an Installation ID is typed then it shows a Confirmation ID that verifies', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const iid = installationId(unwrap(parseProductKey(key!)), newMachine().fingerprint);
    const page = await submit(iid.digits);

    const cid = await page.locator('#cid').textContent({ timeout: 10_000 });
    const signature = unwrap(parseConfirmationId(cid ?? ''));
    expect(verifyConfirmationId(iid.content, signature, h.deps.secrets.publicKey).ok).toBe(true);
    expect(await page.locator('#compact').textContent()).toMatch(/^CID1-/);
    await page.close();
  });

  it('when the Installation ID has a typo then it names the group to fix', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const digits = installationId(unwrap(parseProductKey(key!)), newMachine().fingerprint).digits;
    const groups = digits.split('-');
    groups[1] = `${(Number(groups[1]![0]) + 1) % 10}${groups[1]!.slice(1)}`;
    const page = await submit(groups.join('-'));

    const refusal = page.locator('.refused');
    await refusal.waitFor({ timeout: 10_000 });
    expect(await refusal.textContent()).toContain('2');
    expect(await page.locator('.reason').textContent()).toContain('iid.check_digit');
    await page.close();
  });

  it('when JavaScript is off then the form still shows a Confirmation ID that verifies', async () => {
    const [key] = (await h.mint('retail', 1)).keys;
    const iid = installationId(unwrap(parseProductKey(key!)), newMachine().fingerprint);
    const page = await submit(iid.digits, false);

    const cid = await page.locator('#cid').textContent({ timeout: 10_000 });
    const signature = unwrap(parseConfirmationId(cid ?? ''));
    expect(verifyConfirmationId(iid.content, signature, h.deps.secrets.publicKey).ok).toBe(true);
    expect(page.url()).toBe(`${url}/phone`);
    await page.close();
  });
});
