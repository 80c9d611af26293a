import type { App } from '../env.js';
import { escapeHtml, PAGE_SECURITY_HEADERS, page } from './html.js';

interface Operation {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

type Document = {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
};

/** GET /docs: a readable API reference rendered from the same OpenAPI document. */
export function registerApiReference(app: App, document: () => Document): void {
  app.get('/docs', (c) => {
    const doc = document();
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => renderOperation(method, path, op)),
    );
    const intro = `<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>The machine-readable document is at <a href="/openapi.json">/openapi.json</a>. Errors are
<code>application/problem+json</code> with a stable <code>code</code>; refusals of a key are
answers (<code>activated: false</code>) with a <code>reason</code>.</p>`;
    return c.html(page(doc.info.title, intro + operations.join('\n')), 200, PAGE_SECURITY_HEADERS);
  });
}

function renderOperation(method: string, path: string, op: Operation): string {
  const auth = op.security && op.security.length > 0 ? '<p>Needs an administrator token.</p>' : '';
  const body = op.requestBody?.content?.['application/json']?.schema;
  const bodyHtml =
    body === undefined
      ? ''
      : `<p>Request body:</p><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre>`;
  const responses = Object.entries(op.responses ?? {})
    .map(
      ([status, r]) =>
        `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? '')}</li>`,
    )
    .join('');
  return `<section class="op"><h2><span class="method">${escapeHtml(method)}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(op.summary ?? '')}</p><p>${escapeHtml(op.description ?? '')}</p>${auth}${bodyHtml}
<ul>${responses}</ul></section>`;
}
