/**
 * What makes a password acceptable: at least 12 characters, and not one of the ~49,000 most
 * common passwords (the list @zxcvbn-ts/language-common ships), nor one of them with digits or
 * signs added at either end ("password-123", "!dragon2024"). One rule for every password this
 * server sets: new users, changed passwords, ADMIN_PASSWORD and the demo sign-ins.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 12;
/** An upper bound keeps a huge "password" from tying up scrypt. */
export const PASSWORD_MAX = 200;

const common = new Set(dictionary['passwords-common']);

/** Why a password is refused, in words that say what to do; null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters: a few unrelated words make a long password that is easy to remember`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (common.has(lower) || common.has(core)) {
    return 'is one of the most common passwords (or one with a few digits or signs added): choose one nobody would guess, such as a few unrelated words';
  }
  return null;
}
