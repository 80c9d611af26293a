/** Tells whether a URL's host is this machine (127.0.0.0/8, ::1 or localhost). */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Credentials may travel only over TLS, or to this machine. */
export function maySendCredentials(url: URL): boolean {
  return url.protocol === 'https:' || isLoopbackUrl(url);
}
