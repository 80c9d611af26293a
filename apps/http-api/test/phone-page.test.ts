import {
  installationId,
  parseConfirmationId,
  parseProductKey,
  unwrap,
  verifyConfirmationId,
} from '@slm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/http/middleware/rate-limit.js';
import { createHarness, type Harness, newMachine } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** Posts the page's form as a browser without JavaScript does. */
async function postForm(harness: Harness, iid: string, address = '203.0.113.7') {
  const env = { incoming: { socket: { remoteAddress: address } } };
  return await harness.app.request(
    '/phone',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ iid }).toString(),
    },
    env,
  );
}

const outputOf = (html: string, id: string) =>
  html.match(new RegExp(`<output class="cid" id="${id}">([^<]*)</output>`))?.[1];

async function iidOfNewKey() {
  const [key] = (await h.mint('retail', 1)).keys;
  return installationId(unwrap(parseProductKey(key!)), newMachine().fingerprint);
}

describe('the phone activation page without JavaScript', () => {
  it('when the page is fetched then its form posts the Installation ID to /phone', async () => {
    const html = await (await h.app.request('/phone')).text();

    expect(html).toContain('<form id="phone-form" method="post" action="/phone">');
    expect(html).toContain('name="iid"');
  });

  it('when the form is posted then the answer page shows a Confirmation ID that verifies', async () => {
    const iid = await iidOfNewKey();

    const res = await postForm(h, iid.digits);

    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cid = outputOf(html, 'cid') ?? '';
    const signature = unwrap(parseConfirmationId(cid));
    expect(verifyConfirmationId(iid.content, signature, h.deps.secrets.publicKey).ok).toBe(true);
    expect(outputOf(html, 'compact')).toMatch(/^CID1-/);
    expect(html).toContain(`>${iid.digits}</textarea>`);
  });

  it('when the posted Installation ID has a typo then the page names the group and reason', async () => {
    const groups = (await iidOfNewKey()).digits.split('-');
    groups[1] = `${(Number(groups[1]![0]) + 1) % 10}${groups[1]!.slice(1)}`;

    const res = await postForm(h, groups.join('-'));

    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(/<p class="refused">[^<]*2[^<]*<\/p>/);
    expect(html).toContain('<p class="reason">Reason: iid.check_digit</p>');
  });

  it('when the posted text holds markup then it is shown as text, not run', async () => {
    const res = await postForm(h, '<script>alert(1)</script>');

    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when the form is posted empty then the page asks for the Installation ID, 400', async () => {
    const res = await postForm(h, '  ');

    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Type the Installation ID');
  });

  it('when one address posts the form too often then it is limited as the API is', async () => {
    const limited = await createHarness({
      perAddress: new RateLimiter({ burst: 1, perMinute: 1 }),
    });
    try {
      const first = await postForm(limited, '1234', '198.51.100.9');
      const second = await postForm(limited, '1234', '198.51.100.9');

      expect(first.status).toBe(200);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await second.text()).toContain('Too many activation requests');
    } finally {
      await limited.close();
    }
  });
});
