/**
 * Where messages go: mail over SMTP (nodemailer) when SMTP_URL is set, else into the server's log
 * (the notifications table keeps every message either way, so one machine without a mail server
 * still has them); chat posts to the company's Slack-compatible incoming webhook.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** What the log gets instead of `text`, when the text carries a secret (a link's token). */
  logText?: string;
}

export interface Transports {
  /** Sends a mail; answers how it went out ('smtp' or 'log'). Throws when the server refuses it. */
  mail(m: Mail): Promise<'smtp' | 'log'>;
  /** Posts to the chat webhook; throws on anything but a 2xx. False without CHAT_WEBHOOK_URL. */
  chat(text: string): Promise<boolean>;
  close(): void;
}

const CHAT_TIMEOUT_MS = 10_000;

/** Slack's incoming-webhook JSON: `text` (the fallback every client shows) and one section block. */
export function slackPayload(text: string): { text: string; blocks: unknown[] } {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function createTransports(config: Pick<Config, 'SMTP_URL' | 'SMTP_FROM' | 'CHAT_WEBHOOK_URL'>, logger: Logger): Transports {
  let smtp: Transporter | null = null;
  if (config.SMTP_URL) {
    // The URL carries any credentials: it is never logged.
    smtp = createTransport({ url: config.SMTP_URL, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 }, { from: config.SMTP_FROM });
  }
  return {
    async mail(m) {
      if (!smtp) {
        logger.info({ to: m.to, subject: m.subject, text: m.logText ?? m.text }, 'mail (no SMTP_URL: written here and to the sent table)');
        return 'log';
      }
      await smtp.sendMail({ to: m.to, subject: m.subject, text: m.text });
      return 'smtp';
    },
    async chat(text) {
      if (!config.CHAT_WEBHOOK_URL) return false;
      const res = await fetch(config.CHAT_WEBHOOK_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(slackPayload(text)),
        signal: AbortSignal.timeout(CHAT_TIMEOUT_MS),
      });
      // The answer's body is the chat service's business; only its status is read.
      await res.body?.cancel();
      if (!res.ok) throw new Error(`the chat webhook answered ${res.status}`);
      return true;
    },
    close() {
      smtp?.close();
    },
  };
}
