/**
 * The mail-intake SMTP listener (issue 13), on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT when that port
 * is set (off by default). Built on smtp-server (the SMTP conversation) and mailparser (MIME):
 * - a recipient other than SUPPORT_ADDRESS is refused at RCPT TO (550), so nothing else is taken;
 * - a message over INBOUND_MAX_BYTES is refused: at MAIL FROM when the client declares its SIZE,
 *   else at the end of DATA (552), and no more than the limit is ever buffered;
 * - no AUTH and no STARTTLS: the listener is meant for localhost or the company's own mail server
 *   in front of it (docs/SECURITY.md: senders are not authenticated);
 * - each accepted mail is parsed and handed to MailIntake (a ticket, an addition to one, or held);
 *   a failure of ours (the database away) answers 451, so the sending server tries again later.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Services } from '../services.ts';
import { MailIntake, type InboundMail } from './intake.ts';

export interface MailListener {
  /** The port it listens on (the one chosen when INBOUND_SMTP_PORT is 0). */
  port: number;
  intake: MailIntake;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Parses a raw message into what the intake keeps: the sender, subject, text and attachment names. */
export async function parseInbound(raw: Buffer, envelopeFrom: string): Promise<InboundMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, checksumAlgo: false });
  const from = parsed.from?.value.find((a) => a.address)?.address ?? envelopeFrom;
  const fromName = parsed.from?.value.find((a) => a.address)?.name ?? '';
  return {
    from,
    fromName,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    attachments: parsed.attachments.map((a, i) => a.filename ?? `attachment-${i + 1}`),
    receivedAt: new Date(),
  };
}

export async function startMailListener(s: Services): Promise<MailListener | null> {
  const { INBOUND_SMTP_PORT: port, INBOUND_SMTP_HOST: host, SUPPORT_ADDRESS: support, INBOUND_MAX_BYTES: maxBytes } = s.config;
  if (port === undefined) return null;
  if (!support) throw new Error('INBOUND_SMTP_PORT needs SUPPORT_ADDRESS: the address mail to tickets must be sent to (support@company.example).');
  const supportAddress = support.toLowerCase();
  const intake = new MailIntake(s);
  const log = s.logger.child({ component: 'mail-intake' });

  const server = new SMTPServer({
    name: 'hourglass',
    banner: 'Hourglass mail intake',
    size: maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    maxClients: 20,
    closeTimeout: 2000,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== supportAddress) return callback(smtpError(550, `<${address.address}>: no such mailbox here; tickets are mailed to ${support}`));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) {
          log.info({ bytes, maxBytes }, 'mail refused: over INBOUND_MAX_BYTES');
          return callback(smtpError(552, `message exceeds the maximum size of ${maxBytes} bytes`));
        }
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        parseInbound(Buffer.concat(chunks), envelopeFrom)
          .then((mail) => intake.receive(mail))
          .then(
            (outcome) => {
              // No address, subject or text in the log: the outcome and the record's id say enough.
              log.info({ outcome: outcome.kind, ticket: 'ticketId' in outcome ? outcome.ticketId : undefined, heldMail: 'mailId' in outcome ? outcome.mailId : undefined }, 'mail received');
              callback(null, outcome.kind === 'held' ? 'Received; held for a manager' : `Received as ${outcome.ticketId}`);
            },
            (err: unknown) => {
              log.error({ err }, 'mail could not be taken in');
              callback(smtpError(451, 'could not take the mail in now; try again later'));
            },
          );
      });
    },
  });
  server.on('error', (err) => log.warn({ err }, 'mail-intake listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  log.info({ host, port: bound }, `mail intake listening for ${support}`);
  return {
    port: bound,
    intake,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
