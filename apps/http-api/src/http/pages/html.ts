/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A complete page with the service's plain stylesheet. */
export function page(title: string, body: string, script?: string): string {
  const scriptTag = script === undefined ? '' : `<script src="${script}" defer></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
code, pre, textarea, output { font-family: ui-monospace, monospace; }
pre { background: #f5f5f5; padding: .75rem; overflow-x: auto; }
textarea { width: 100%; font-size: 1rem; }
.op { border-top: 1px solid #ddd; padding-top: 1rem; margin-top: 1rem; }
.method { font-weight: bold; text-transform: uppercase; }
.refused { color: #a00; }
.cid { word-break: break-all; }
</style>
${scriptTag}
</head>
<body>
${body}
</body>
</html>`;
}

export const PAGE_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
