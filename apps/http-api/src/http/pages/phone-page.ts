import type { App } from '../env.js';
import { PAGE_SECURITY_HEADERS, page } from './html.js';

const BODY = `<h1>Phone activation</h1>
<p>Type the Installation ID that <code>slmgr /dti</code> shows, in groups or not.</p>
<form id="phone-form">
<label for="iid">Installation ID</label>
<textarea id="iid" name="iid" rows="3" autocomplete="off" spellcheck="false" required></textarea>
<p><button type="submit">Get the Confirmation ID</button></p>
</form>
<section id="result" aria-live="polite"></section>`;

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

/** GET /phone and /phone.js: a small page that turns an IID into a CID. */
export function registerPhonePage(app: App): void {
  app.get('/phone', (c) =>
    c.html(page('Phone activation', BODY, '/phone.js'), 200, PAGE_SECURITY_HEADERS),
  );
  app.get('/phone.js', (c) =>
    c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
}
