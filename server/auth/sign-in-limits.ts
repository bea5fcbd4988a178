/**
 * Limits on guessing passwords. Only failures count (a team of twenty signing in from one office
 * is never held up), per account and per address, in PostgreSQL so every instance shares them.
 * Past its free failures a key waits before its next try: 1 s, then twice as long after each
 * further failure, up to 15 minutes; its failures are forgotten an hour after the last one.
 *
 * A try is counted as a failure when it starts and given back when the password was right, so a
 * burst of tries sent at once cannot all slip through before the first failure is recorded.
 * Unknown emails count like known ones: a limit reached must not tell which accounts exist.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors.ts';
import type { Services } from '../services.ts';

const FORGET_MS = 60 * 60_000;
const MAX_WAIT_MS = 15 * 60_000;

export interface TryKeys {
  /** The email the try is for, as typed (lower case); null for a try that names no account (a one-time link's token). */
  account: string | null;
  /** The caller's address (req.ip: X-Forwarded-For only from TRUST_PROXY). */
  address: string;
}

interface Row {
  key: string;
  failures: number;
  last_failed_at: Date | string;
}

/** How long a key with `failures` failures waits after its last one. */
export function waitAfter(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** Math.min(failures - free, 30));
}

export class SignInLimits {
  constructor(private readonly s: Pick<Services, 'store' | 'config'>) {}

  /**
   * Starts a try, or refuses it with 429 while the account or the address must wait (the answer
   * says how long, and Retry-After too). `onRefused` sets that header.
   */
  async claim(keys: TryKeys, onRefused: (seconds: number) => void): Promise<void> {
    const { account, address } = this.keysOf(keys);
    const free: Record<string, number> = { [address]: this.s.config.LOGIN_RATE_LIMIT };
    if (account) free[account] = this.s.config.LOGIN_ACCOUNT_LIMIT;
    const all = Object.keys(free).sort();
    const refused = await this.s.store.reader().transactional(async (tx) => {
      // One try at a time per key, on every instance.
      for (const key of all) await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [key]);
      const rows = await tx.execute<Row[]>('select key, failures, last_failed_at from sign_in_failures where key in (?, ?)', [all[0]!, all[1] ?? all[0]!]);
      const now = Date.now();
      let wait = { ms: 0, key: '' };
      for (const row of rows) {
        const last = new Date(row.last_failed_at).getTime();
        if (now - last >= FORGET_MS) continue;
        const ms = waitAfter(row.failures, free[row.key]!) - (now - last);
        if (ms > wait.ms) wait = { ms, key: row.key };
      }
      if (wait.ms > 0) return wait;
      await this.countFailure(tx, all, new Date(now));
      return null;
    });
    if (!refused) return;
    const seconds = Math.ceil(refused.ms / 1000);
    onRefused(seconds);
    const wait = `Wait ${seconds === 1 ? '1 second' : seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`} and try again`;
    throw new AppError(
      429,
      'rate_limited',
      refused.key === account
        ? `Too many failed sign-ins for this account. ${wait}, or ask a manager to reset your password.`
        : `Too many failed sign-ins from this address. ${wait}.`,
    );
  }

  /** The password was right: the account starts afresh, and the address gets its try back. */
  async succeeded(keys: TryKeys): Promise<void> {
    const { account, address } = this.keysOf(keys);
    const em = this.s.store.reader();
    if (account) await em.execute('delete from sign_in_failures where key = ?', [account]);
    await em.execute('update sign_in_failures set failures = greatest(0, failures - 1) where key = ?', [address]);
  }

  private keysOf(keys: TryKeys) {
    return { account: keys.account === null ? null : `account:${keys.account.toLowerCase()}`, address: `address:${keys.address}` };
  }

  private async countFailure(tx: EntityManager, keys: string[], now: Date): Promise<void> {
    const stale = new Date(now.getTime() - FORGET_MS);
    for (const key of keys) {
      await tx.execute(
        `insert into sign_in_failures (key, failures, last_failed_at) values (?, 1, ?)
         on conflict (key) do update set
           failures = case when sign_in_failures.last_failed_at < ? then 1 else sign_in_failures.failures + 1 end,
           last_failed_at = excluded.last_failed_at`,
        [key, now, stale],
      );
    }
    await tx.execute('delete from sign_in_failures where last_failed_at < ?', [stale]);
  }
}
