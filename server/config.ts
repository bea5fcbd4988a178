/** Configuration from the environment, validated once at start. README.md lists every variable. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { passwordProblem } from './auth/password-policy.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A text setting that may be left empty (docker-compose's `OIDC_ISSUER=`): empty is unset. */
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional());

/** A comma-separated list, empty entries dropped. */
const list = (check: (entry: string) => string | null) =>
  z
    .string()
    .default('')
    .transform((v, ctx) => {
      const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
      for (const e of entries) {
        const problem = check(e);
        if (problem) ctx.addIssue({ code: 'custom', message: `"${e}" ${problem}` });
      }
      return entries;
    });

/** What Express's `trust proxy` accepts by name or address (proxy-addr). */
function proxyProblem(entry: string): string | null {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return null;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return 'is not an IP address, a subnet (10.0.0.0/8) or loopback, linklocal, uniquelocal';
  if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))) return 'has a bad subnet size';
  return null;
}

function originProblem(entry: string): string | null {
  try {
    const url = new URL(entry);
    return url.origin === entry.replace(/\/$/, '') && url.origin !== 'null' ? null : 'is not an origin like https://hourglass.example.com (scheme, host, optional port; no path)';
  } catch {
    return 'is not an origin like https://hourglass.example.com';
  }
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** A real PostgreSQL server; without it the app runs on embedded PostgreSQL (PGlite) in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z
    .string()
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  /** Load the demo quarter into an empty database: auto = only on the embedded database; xl = a generated quarter at scale. */
  DEMO: z.enum(['auto', 'on', 'off', 'xl']).default('auto'),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Changes within this window are planned together. */
  REPLAN_DEBOUNCE_MS: z.coerce.number().int().min(0).max(10_000).default(30),
  /** Run a solver worker inside this server process (the default), or leave solving to `npm run worker`. */
  SOLVER_WORKER: z.enum(['in-process', 'none']).default('in-process'),
  /** A solve that takes longer is stopped and retried (the previous plan stays current). */
  SOLVE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000),
  /** Seconds before a re-plan job whose worker vanished is handed to another worker. */
  JOB_EXPIRE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** Test hook: make every solve take at least this long (to test a worker killed mid-solve). */
  SOLVER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Plan versions kept per quarter; older ones (and their allocations) are deleted. */
  PLAN_HISTORY: z.coerce.number().int().min(1).default(500),
  /**
   * Failed sign-ins (and wrong current passwords) from one address before each further try waits
   * 1 s, doubling to 15 minutes (auth/sign-in-limits.ts). Successes never count.
   */
  LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
  /** The same, per account, from any address. */
  LOGIN_ACCOUNT_LIMIT: z.coerce.number().int().positive().default(5),
  /** Proxies whose X-Forwarded-For is believed (Express `trust proxy`); none by default. */
  TRUST_PROXY: list(proxyProblem),
  /** Origins besides the server's own whose pages may open a live socket. */
  ALLOWED_ORIGINS: list(originProblem).transform((entries) => entries.map((e) => new URL(e).origin)),
  /** Mail goes out over SMTP (smtp://host:port, smtps://user:pass@host); without it, to the log and the notifications table. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(3).default('Hourglass <hourglass@localhost>'),
  /** The company's chat: a Slack-compatible incoming webhook for emergencies and at-risk alerts. */
  CHAT_WEBHOOK_URL: z.string().url().optional(),
  /** Where users open the dashboard, for links in mail; default http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** Tries per message before it is marked failed, and seconds between tries (growing with each). */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NOTIFY_RETRY_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** Requests each API token may make per minute, on each instance (429 with Retry-After past it). */
  API_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Deliveries each ticket tracker may make per minute from one address, on each instance (POST /api/intake/:source). */
  INTAKE_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /**
   * Mail to tickets (server/mail-intake): an SMTP listener on this port, off without it (0 takes any
   * free port: tests), on INBOUND_SMTP_HOST; it takes mail to SUPPORT_ADDRESS only, at most
   * INBOUND_MAX_BYTES a message (552 past it).
   */
  INBOUND_SMTP_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SUPPORT_ADDRESS: z.string().email().optional(),
  INBOUND_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  /**
   * The company's time zone (an IANA name such as Europe/Amsterdam): a timed event in a holiday or
   * absence calendar falls on the dates it covers there (server/modules/leave-calendars).
   */
  COMPANY_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'is not a time zone name like Europe/Amsterdam or UTC'),
  /** A holiday or absence feed is fetched in at most this long, and at most this large. */
  LEAVE_FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LEAVE_FEED_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(2 * 1024 * 1024),
  /** Serve the built dashboard (client/dist) when present. */
  SERVE_CLIENT: flag.default(true),
  /**
   * Single sign-on with OpenID Connect (auth/oidc.ts), beside passwords: the provider's issuer and
   * this app's client at it. All three or none. The issuer is https, or http on a loopback host
   * (a provider on the same machine, as in the tests).
   */
  OIDC_ISSUER: optionalText.pipe(z.string().url().optional()),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  /** What the sign-in page's button calls the provider: "Sign in with <name>". */
  OIDC_NAME: optionalText.pipe(z.string().max(60).default('single sign-on')),
  /** The redirect URL registered at the provider; default PUBLIC_URL (or the address the browser used) + /api/auth/oidc/callback. */
  OIDC_REDIRECT_URL: optionalText.pipe(z.string().url().optional()),
});

const OIDC_VARIABLES = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** All of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none; an issuer over https unless it is on this machine. */
function checkOidc(c: z.output<typeof schema>, ctx: z.RefinementCtx): void {
  const set = OIDC_VARIABLES.filter((k) => c[k] !== undefined);
  if (set.length > 0) {
    for (const k of OIDC_VARIABLES) {
      if (c[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `is required with ${set.join(' and ')}: single sign-on needs all of ${OIDC_VARIABLES.join(', ')}` });
    }
  }
  if (c.OIDC_ISSUER !== undefined && oidcIssuerProblem(c.OIDC_ISSUER)) ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: oidcIssuerProblem(c.OIDC_ISSUER)! });
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether the issuer may be reached over plain http: only on a loopback host. */
export const oidcIssuerIsLoopbackHttp = (issuer: string) => {
  const url = new URL(issuer);
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
};

function oidcIssuerProblem(issuer: string): string | null {
  const url = new URL(issuer);
  if (url.protocol === 'https:' || oidcIssuerIsLoopbackHttp(issuer)) return url.search || url.hash ? 'must be the issuer URL without a query or fragment' : null;
  return 'must be an https URL (http only for a provider on this machine: localhost, 127.0.0.1, [::1])';
}

export type Config = z.output<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = schema.superRefine(checkOidc).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
