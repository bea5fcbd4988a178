/**
 * A real OpenID provider in the test process (oidc-provider, the certified server of the same
 * author as openid-client) on 127.0.0.1, and a browser that signs in through it with fetch and
 * its own cookie jar.
 *
 * - reserveProvider() listens first (so the app can be configured with its issuer) and serves
 *   nothing until start(), which knows the app's redirect URL; stop() and start() again model a
 *   provider that is down and comes back on the same address.
 * - Accounts are keyed by their subject; the login interaction is oidc-provider's development
 *   form, posted as a browser would (it takes any password), and consent is granted up front
 *   (loadExistingGrant), as an organisation's own provider does for its own apps.
 * - `tamper` rewrites the ID token of the next token responses and signs it again with the
 *   provider's own key, so the signature is good and only the claims are wrong (an audience for
 *   another client, an expired token): what the app must refuse is the claim, not the signature.
 */
import { generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export const CLIENT = { id: 'hourglass-test', secret: 'hourglass-test-client-secret' };

export interface TestAccount {
  email: string;
  email_verified: boolean;
}

export type IdTokenClaims = Record<string, unknown> & { aud: string | string[]; exp: number; iat: number };

export interface TestProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  /** Rewrites each ID token issued while set; null issues them as they are. */
  tamper: ((claims: IdTokenClaims) => IdTokenClaims) | null;
  start(opts: { redirectUri: string; idTokenHasEmail?: boolean }): void;
  /** Stops answering: connections are refused until start() again. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function reserveProvider(): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JsonWebKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
  let listener: RequestListener | null = null;
  let server: Server = createServer((req, res) => (listener ? listener(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, TestAccount>();

  const resign = (idToken: string, change: (c: IdTokenClaims) => IdTokenClaims) => {
    const [header, payload] = idToken.split('.');
    const claims = change(JSON.parse(Buffer.from(payload!, 'base64url').toString()) as IdTokenClaims);
    const input = `${header}.${b64(JSON.stringify(claims))}`;
    return `${input}.${b64(sign('sha256', Buffer.from(input), privateKey))}`;
  };

  const t: TestProvider = {
    issuer,
    accounts,
    tamper: null,
    start({ redirectUri, idTokenHasEmail = false }) {
      const config: Configuration = {
        clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
        jwks: { keys: [jwk as never] },
        cookies: { keys: ['test-provider-cookie-key'] },
        ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        // By default (true) scope claims go to UserInfo only; false puts them in the ID token too.
        conformIdTokenClaims: !idTokenHasEmail,
        async findAccount(_ctx, sub) {
          const account = accounts.get(sub);
          return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined;
        },
        async loadExistingGrant(ctx) {
          const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
          grant.addOIDCScope('openid email profile');
          await grant.save();
          return grant;
        },
      };
      const provider = new Provider(issuer, config);
      provider.use(async (ctx, next) => {
        await next();
        const body = ctx.body as { id_token?: string } | undefined;
        if (ctx.path === '/token' && t.tamper && body?.id_token) ctx.body = { ...body, id_token: resign(body.id_token, t.tamper) };
      });
      listener = provider.callback();
      if (!server.listening) server.listen(port, '127.0.0.1');
    },
    async stop() {
      listener = null;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      server = createServer((req, res) => (listener ? listener(req, res) : res.writeHead(503).end()));
    },
    async close() {
      if (server.listening) await t.stop();
    },
  };
  return t;
}

/** A browser: fetch without following redirects, keeping cookies per host (paths are ignored: no two cookies here share a name). */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  constructor(private readonly appUrl: string) {}

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }

  dropCookie(url: string, name: string): void {
    this.jars.get(new URL(url).host)?.delete(name);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const jar = this.jars.get(new URL(url).host) ?? new Map<string, string>();
    this.jars.set(new URL(url).host, jar);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()));
      if (gone) jar.delete(name);
      else jar.set(name, pair!.slice(at + 1).trim());
    }
    return res;
  }

  /**
   * Starts a single sign-on at the app and goes through the provider as `sub` until the provider
   * sends the browser back to the app's callback; answers that callback URL (not yet opened).
   * `abort` cancels at the provider's login form instead.
   */
  async toCallback(sub: string, opts: { next?: string; abort?: boolean } = {}): Promise<URL> {
    const start = await this.request(`${this.appUrl}/api/auth/oidc/login${opts.next !== undefined ? `?next=${encodeURIComponent(opts.next)}` : ''}`);
    if (start.status !== 302) throw new Error(`login answered ${start.status}`);
    let url = new URL(start.headers.get('location')!, this.appUrl);
    for (let hops = 0; hops < 20; hops++) {
      if (url.origin === new URL(this.appUrl).origin) return url;
      let res = await this.request(url.href);
      if (res.status === 200 && /\/interaction\/[^/]+$/.test(url.pathname)) {
        const html = await res.text();
        const prompt = html.includes('name="prompt" value="consent"') ? 'consent' : 'login';
        res = opts.abort
          ? await this.request(`${url.href}/abort`)
          : await this.request(url.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ prompt, login: sub, password: 'any' }).toString() });
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${(await res.text()).slice(0, 300)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  /** A whole sign-in: the callback opened; answers the app's redirect. */
  async signIn(sub: string, opts: { next?: string; abort?: boolean } = {}): Promise<Response> {
    return this.request((await this.toCallback(sub, opts)).href);
  }
}

/** Where the app sent the browser after its callback: the path, and the sign-in page's error code if any. */
export function landing(res: Response): { path: string; error: string | null } {
  const url = new URL(res.headers.get('location') ?? '', 'http://app');
  return { path: url.pathname, error: url.searchParams.get('error') };
}
