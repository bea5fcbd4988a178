/**
 * Whose pages may open a live socket. A browser names the page's origin in `Origin`; a page of
 * another site must not open a socket that signs in with our cookie. Allowed: the server's own
 * origin (the page came from the host the browser is talking to) and the origins listed in
 * ALLOWED_ORIGINS. A connection without `Origin` is no browser page (a script, a test): it is let
 * through, and its session cookie decides as usual.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  return allowed.includes(url.origin);
}
