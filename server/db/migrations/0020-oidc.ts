import { Migration } from '@mikro-orm/migrations';

/**
 * Single sign-on (issue 13): OpenID Connect beside passwords (server/auth/oidc.ts).
 * - `users.oidc_issuer` and `oidc_subject`: the provider's account a user was matched to on their
 *   first sign-in through it (by verified email). Once linked, the account follows that subject:
 *   another subject with the same email is refused. One provider account is at most one user.
 * - `oidc_logins`: sign-ins started at the provider and not finished yet, keyed by the SHA-256 of
 *   the random value in the browser's `hg_oidc` cookie (which binds the answer to the browser that
 *   asked); each holds the state, nonce and PKCE verifier, lasts ten minutes and is used once.
 */
export class Migration0020Oidc extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table users add column oidc_issuer text, add column oidc_subject text;
alter table users add constraint users_oidc_link check ((oidc_issuer is null) = (oidc_subject is null));
create unique index users_oidc_subject on users (oidc_issuer, oidc_subject) where oidc_subject is not null;

create table oidc_logins (
  id text primary key,
  state text not null,
  nonce text not null,
  code_verifier text not null,
  redirect_uri text not null,
  next_path text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index oidc_logins_expires_at on oidc_logins (expires_at);
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists oidc_logins;');
    this.addSql('drop index if exists users_oidc_subject;');
    this.addSql('alter table users drop constraint if exists users_oidc_link, drop column if exists oidc_issuer, drop column if exists oidc_subject;');
  }
}
