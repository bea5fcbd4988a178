/**
 * A real SMTP server in the test process (smtp-server), on 127.0.0.1, keeping what it receives;
 * and an HTTP listener standing in for the chat webhook. `reject` makes the SMTP server refuse
 * every message (550) until it is set back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface MailSink {
  url: string;
  mails: ReceivedMail[];
  reject: boolean;
  /** Mails to one address. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/** "=?UTF-8?Q?…?=" and "=?UTF-8?B?…?=" words of a header. */
function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

/** The headers and plain-text body of a single-part message, as nodemailer writes one. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(at + 4).replace(/\r\n\.\r\n$/, '');
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body, 'base64').toString('utf8');
  }
  return { headers, text: body.replace(/\r\n/g, '\n').trimEnd() };
}

export async function startMailSink(): Promise<MailSink> {
  const mails: ReceivedMail[] = [];
  const sink: MailSink = {
    url: '',
    mails,
    reject: false,
    to: (address) => mails.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (sink.reject) {
          const err = Object.assign(new Error('mailbox unavailable (the test server refuses)'), { responseCode: 550 });
          return callback(err);
        }
        const { headers, text } = parseMail(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headers.subject ?? ''),
          text,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return sink;
}

export interface ChatListener {
  url: string;
  posts: { text: string; blocks?: unknown[] }[];
  /** What the listener answers (200 by default); a post answered otherwise is not kept. */
  status: number;
  close(): Promise<void>;
}

/** An HTTP listener taking the chat webhook's JSON posts. */
export async function startChatListener(): Promise<ChatListener> {
  const listener: ChatListener = { url: '', posts: [], status: 200, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = listener.status >= 200 && listener.status < 300;
      if (ok && req.method === 'POST' && req.headers['content-type']?.includes('application/json')) listener.posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(listener.status, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  listener.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/chat`;
  return listener;
}
