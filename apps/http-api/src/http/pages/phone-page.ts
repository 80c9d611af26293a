import type { PhoneActivationResponse } from '@slm/activation-client';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { App, AppDeps, AppEnv } from '../env.js';
import { bodyLimitByLength } from '../middleware/body-limit.js';
import { catalogRefresh } from '../middleware/catalog-refresh.js';
import { STATUS_OF } from '../problem.js';
import { answerPhone } from '../routes/phone-activation.js';
import { escapeHtml, PAGE_SECURITY_HEADERS, page } from './html.js';

// The form posts to /phone itself, so it works without JavaScript; with it, the script below
// asks the API instead and shows the answer without reloading the page.
function body(iid: string, result: string): string {
  return `<h1>Phone activation</h1>
<p>Type the Installation ID that <code>slmgr /dti</code> shows, in groups or not.</p>
<form id="phone-form" method="post" action="/phone">
<label for="iid">Installation ID</label>
<textarea id="iid" name="iid" rows="3" maxlength="200" autocomplete="off" spellcheck="false" required>${escapeHtml(iid)}</textarea>
<p><button type="submit">Get the Confirmation ID</button></p>
</form>
<section id="result" aria-live="polite">${result}</section>`;
}

// Runs in the browser: posts the IID and shows the Confirmation ID or the reason it was refused.
const SCRIPT = `'use strict';
document.getElementById('phone-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = document.getElementById('result');
  const installationId = document.getElementById('iid').value;
  result.textContent = 'Asking the activation service…';
  try {
    const response = await fetch('/v1/activations/phone', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ installationId }),
    });
    const answer = await response.json();
    result.replaceChildren(...render(response.ok, answer));
  } catch (error) {
    result.replaceChildren(line('p', 'The activation service did not answer.', 'refused'));
  }
});
function render(ok, answer) {
  if (!ok) return [line('p', answer.detail || answer.title || 'The request failed.', 'refused')];
  if (!answer.activated) {
    return [line('p', answer.message, 'refused'), line('p', 'Reason: ' + answer.reason, 'reason')];
  }
  return [
    line('p', 'Type this Confirmation ID with slmgr /atp:'),
    line('output', answer.confirmationId, 'cid', 'cid'),
    line('p', 'Or paste the compact form:'),
    line('output', answer.compact, 'cid', 'compact'),
  ];
}
function line(tag, text, className, id) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  if (id) element.id = id;
  return element;
}
`;

/** GET /phone and /phone.js: a small page that turns an IID into a CID; POST /phone without JS. */
export function registerPhonePage(app: App, deps: AppDeps): void {
  app.get('/phone', (c) => c.html(phonePage('', ''), 200, PAGE_SECURITY_HEADERS));
  app.get('/phone.js', (c) =>
    c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.post('/phone', bodyLimitByLength(16 * 1024, tooLarge), catalogRefresh(deps), async (c) => {
    const form = await c.req.parseBody();
    const iid = typeof form.iid === 'string' ? form.iid : '';

    const { status, html, waitMs } = await formAnswer(deps, c.get('clientAddress'), iid);
    if (waitMs > 0) c.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
    return c.html(phonePage(iid, html), status, { ...PAGE_SECURITY_HEADERS, ...NO_STORE });
  });
}

const NO_STORE = { 'cache-control': 'no-store' };

function phonePage(iid: string, result: string): string {
  return page('Phone activation', body(iid, result), '/phone.js');
}

interface FormAnswer {
  readonly status: ContentfulStatusCode;
  readonly html: string;
  /** For Retry-After when a limit was reached. */
  readonly waitMs: number;
}

// The same limits and answers as POST /v1/activations/phone, rendered as HTML.
async function formAnswer(deps: AppDeps, address: string, iid: string): Promise<FormAnswer> {
  const trimmed = iid.trim();
  if (trimmed === '' || trimmed.length > 200) {
    return refused(400, 'Type the Installation ID, up to 200 characters.');
  }
  const waitMs = deps.limits.perAddress.take(address, deps.now());
  if (waitMs > 0) {
    return refused(429, 'Too many activation requests from this address; try again later.', waitMs);
  }
  const answer = await answerPhone(deps, trimmed);
  if (answer.kind === 'problem') {
    return refused(STATUS_OF[answer.code], answer.detail, answer.waitMs);
  }
  return { status: 200, html: verdictHtml(answer.verdict), waitMs: 0 };
}

function verdictHtml(verdict: PhoneActivationResponse): string {
  if (!verdict.activated) {
    return `<p class="refused">${escapeHtml(verdict.message)}</p>
<p class="reason">Reason: ${escapeHtml(verdict.reason)}</p>`;
  }
  return `<p>Type this Confirmation ID with slmgr /atp:</p>
<output class="cid" id="cid">${escapeHtml(verdict.confirmationId)}</output>
<p>Or paste the compact form:</p>
<output class="cid" id="compact">${escapeHtml(verdict.compact)}</output>`;
}

function refused(status: ContentfulStatusCode, text: string, waitMs = 0): FormAnswer {
  return { status, html: `<p class="refused">${escapeHtml(text)}</p>`, waitMs };
}

function tooLarge(c: Context<AppEnv>): Response {
  return c.html(phonePage('', refused(413, 'The form is too large.').html), 413);
}
