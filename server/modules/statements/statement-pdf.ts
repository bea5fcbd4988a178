/**
 * A statement as a PDF (pdfkit: pure JavaScript, no browser, no binary; README says why), on A4
 * or US Letter. It prints the figures of the statement object and nothing else, in the company
 * currency (formatMoney), so the PDF, the CSV and the JSON agree.
 *
 * Text is set in the PDF's standard Helvetica, which every reader has and which needs no font
 * file; it covers Latin-1 and the usual currency signs. Characters outside it (a name in another
 * script) print as "?", and an amount whose currency sign it lacks is written with the code.
 */
import PDFDocument from 'pdfkit';
import type { Statement } from '../../../shared/api/statements.ts';
import { formatMoney, majorString } from '../../../shared/money.ts';

export type Paper = 'a4' | 'letter';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Windows-1252 beyond ASCII and Latin-1: what the standard fonts can draw. */
const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const drawable = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || CP1252_EXTRA.includes(ch);
};
/** Text the standard font can draw: line breaks kept, thin spaces as spaces, anything else it lacks as "?". */
export const pdfText = (s: string) => [...s.replace(/[\u202f\u2009]/g, ' ')].map((ch) => (ch === '\n' || drawable(ch) ? ch : '?')).join('');

export function pdfMoney(minor: number, currency: string): string {
  const text = formatMoney(minor, currency, 'en').replace(/[\u202f\u00a0]/g, ' ');
  return [...text].every(drawable) ? text : `${currency} ${majorString(minor, currency)}`;
}

const day = (iso: string) => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m! - 1]} ${y}`;
};
const dayMonth = (iso: string) => day(iso).replace(/ \d{4}$/, '');
const h = (x: number) => `${Number(x.toFixed(2))} h`;

export function statementPdf(s: Statement, paper: Paper): Promise<Buffer> {
  const doc = new PDFDocument({
    size: paper === 'letter' ? 'LETTER' : 'A4',
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    info: { Title: pdfText(`Statement ${s.quarter.id}: ${s.client.name}`), Author: pdfText(s.company.name), Subject: 'Client statement', CreationDate: new Date(s.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const cur = s.company.currency;
  const money = (m: number) => pdfMoney(m, cur);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const weekName = (w: number) => {
    const start = s.weeks[w]?.startDate;
    return start ? `week of ${dayMonth(start)}` : `week ${w + 1}`;
  };

  /** A row of cells at fractions of the width; returns to the left margin below the tallest. */
  const row = (cells: string[], cols: number[], opts: { bold?: boolean; size?: number; align?: ('left' | 'right')[] } = {}) => {
    const size = opts.size ?? 9;
    doc.font(opts.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    const widths = cols.map((c) => c * width);
    const heights = cells.map((c, i) => doc.heightOfString(pdfText(c), { width: widths[i]! - 6 }));
    const tall = Math.max(size * 1.2, ...heights);
    if (doc.y + tall > bottom()) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.text(pdfText(c), x, y, { width: widths[i]! - 6, align: opts.align?.[i] ?? 'left', lineBreak: true });
      x += widths[i]!;
    });
    doc.x = left;
    doc.y = y + tall + 3;
  };
  const heading = (text: string) => {
    if (doc.y + 40 > bottom()) doc.addPage();
    doc.moveDown(0.6);
    doc.font('Helvetica-Bold').fontSize(12).text(pdfText(text), left, doc.y, { width });
    doc.moveDown(0.3);
  };
  const rule = () => {
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.y += 3;
  };

  // Header: who sends it, to whom, for what.
  doc.font('Helvetica-Bold').fontSize(18).text(pdfText(s.company.name), left, doc.page.margins.top, { width });
  doc.font('Helvetica').fontSize(13).text(pdfText(`Statement for ${s.client.name}`), { width });
  doc.moveDown(0.3);
  doc.fontSize(9);
  const dates = s.quarter.startDate && s.quarter.endDate ? `, ${day(s.quarter.startDate)} to ${day(s.quarter.endDate)}` : '';
  doc.text(pdfText(`Quarter ${s.quarter.id}${dates} (${s.quarter.weeks} weeks). ${s.client.plan === 'prepaid' ? 'Prepaid blocks' : 'Pay as you go'}.`), { width });
  doc.text(
    pdfText(
      s.quarter.closed && s.quarter.closedAt
        ? `Closed on ${day(s.quarter.closedAt)}: the figures are final.`
        : `Open: hours up to the ${weekName(s.quarter.currentWeek)} are used, later hours are planned (a forecast that follows the plan).`,
    ),
    { width },
  );
  doc.text(pdfText(`Plan version ${s.planVersion}. Made on ${day(s.generatedAt)}. Amounts in ${cur}.`), { width });

  const t = s.totals;
  const priceText = (p: number | null) => (p === null ? 'not priced' : `${money(p)} an hour`);
  heading('Summary');
  const sc = [0.5, 0.2, 0.3];
  const al: ('left' | 'right')[] = ['left', 'right', 'right'];
  row(['', 'Hours', 'Amount'], sc, { bold: true, align: al });
  rule();
  if (s.client.plan === 'prepaid') {
    row(['Hours bought (blocks)', h(t.boughtHours), money(t.soldMinor)], sc, { align: al });
    row(['Rolled in from the quarter before', h(t.rolloverInHours), ''], sc, { align: al });
  }
  row(['Hours used', h(t.usedHours), ''], sc, { align: al });
  row(['Hours planned for the rest of the quarter', h(t.plannedHours), ''], sc, { align: al });
  if (s.client.plan === 'prepaid') {
    row(['Balance at the start of this week', h(t.balanceHours), ''], sc, { align: al });
    row(['Forecast unused at quarter end', h(t.forecastUnusedHours), ''], sc, { align: al });
    row(['Rollover owed (credited to the next quarter)', h(t.rolloverHours), money(t.rolloverCreditMinor)], sc, { align: al });
    const by = t.presentByWeek !== null ? ` (present work by the ${weekName(t.presentByWeek)})` : '';
    row([`At risk of expiring${by}`, h(t.atRiskHours), money(t.atRiskMinor)], sc, { align: al });
    row([`Overage billed at ${priceText(s.prices.paygRateMinor)}`, h(t.overageHours), money(t.overageMinor)], sc, { align: al });
  } else {
    row([`Pay-as-you-go hours at ${priceText(s.prices.paygRateMinor)}`, h(t.paygHours), money(t.paygMinor)], sc, { align: al });
  }

  heading('Totals');
  const tc = [0.7, 0.3];
  const tal: ('left' | 'right')[] = ['left', 'right'];
  if (s.client.plan === 'prepaid') {
    row(['Blocks bought (paid in advance)', money(t.soldMinor)], tc, { align: tal });
    row(['Overage', money(t.overageMinor)], tc, { align: tal });
  }
  if (t.paygMinor > 0 || s.client.plan === 'payg') row(['Pay-as-you-go', money(t.paygMinor)], tc, { align: tal });
  rule();
  row(['Total billed for the quarter', money(t.billedMinor)], tc, { bold: true, align: tal });
  if (s.client.plan === 'prepaid') row([`Prepaid hours delivered (${h(t.prepaidHours)}), at the block price`, money(t.prepaidMinor)], tc, { align: tal });
  if (s.prices.unpriced) row(['Some hours have no price yet: they are counted at 0.', ''], tc);

  if (s.blocks.length) {
    heading('Blocks bought');
    const bc = [0.35, 0.2, 0.2, 0.25];
    const bal: ('left' | 'right')[] = ['left', 'right', 'right', 'right'];
    row(['Bought in', 'Hours', 'Price an hour', 'Amount'], bc, { bold: true, align: bal });
    rule();
    for (const b of s.blocks) row([weekName(b.week), h(b.hours), b.priceMinor === null ? 'not priced' : money(b.priceMinor), money(b.amountMinor)], bc, { align: bal });
    rule();
    row(['Total', h(t.boughtHours), '', money(t.soldMinor)], bc, { bold: true, align: bal });
  }

  heading('Hours week by week');
  const wc = [0.17, 0.1, 0.1, 0.45, 0.18];
  const wal: ('left' | 'right')[] = ['left', 'right', 'right', 'left', 'right'];
  row(['Week', 'Used', 'Planned', 'Tickets', 'Amount'], wc, { bold: true, align: wal });
  rule();
  for (const w of s.weeks) {
    const tickets = w.tickets
      .map((x) => {
        const parts = [x.usedHours > 0 ? `${h(x.usedHours)} used` : '', x.plannedHours > 0 ? `${h(x.plannedHours)} planned` : ''].filter(Boolean).join(', ');
        return `${x.ticket ? `${x.ticket} ${x.title}` : x.title}: ${parts}`;
      })
      .join('\n');
    const amount = w.prepaidMinor + w.overageMinor + w.paygMinor;
    const label = `${weekName(w.week)}${w.week === s.quarter.currentWeek && !s.quarter.closed ? ' (now)' : ''}`;
    row([label, h(w.usedHours), h(w.plannedHours), tickets || '-', money(amount)], wc, { align: wal, size: 8 });
  }
  rule();
  row(['Quarter', h(t.usedHours), h(t.plannedHours), '', money(t.prepaidMinor + t.overageMinor + t.paygMinor)], wc, { bold: true, align: wal, size: 8 });
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(7.5).fillColor('#444444');
  doc.text(
    pdfText(
      'Amount per week: prepaid hours delivered at the block price, and overage or pay-as-you-go hours at the hourly rate. Blocks are paid in advance; overage and pay-as-you-go hours are billed. Hours the company owes roll over into the next quarter; unused hours beyond them expire at quarter end.',
    ),
    left,
    doc.y,
    { width },
  );
  doc.end();
  return done;
}
