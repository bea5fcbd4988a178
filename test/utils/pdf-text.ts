/**
 * A PDF read back with Mozilla's pdf.js (pdfjs-dist, development only): each page's size in
 * points and its text, so tests check what a statement says by a reader other than the library
 * that wrote it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

export async function pdfPages(bytes: Uint8Array): Promise<{ size: [number, number]; text: string }[]> {
  const doc = await getDocument({ data: bytes, standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: { size: [number, number]; text: string }[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const [x0, y0, x1, y1] = page.view;
    const content = await page.getTextContent();
    pages.push({ size: [Math.round(x1! - x0!), Math.round(y1! - y0!)], text: content.items.map((it) => ('str' in it ? it.str : '')).join(' ') });
  }
  await doc.destroy();
  return pages;
}

export const pdfText = async (bytes: Uint8Array) => (await pdfPages(bytes)).map((p) => p.text).join(' ');
