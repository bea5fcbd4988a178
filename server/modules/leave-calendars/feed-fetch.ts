/**
 * Fetching a holiday or absence feed: http(s) only (redirects included), within a time limit and a
 * size limit, so a slow or endless feed cannot hold a refresh. Every failure is an IcsError whose
 * message is stored on the calendar and shown to managers; the calendar keeps its last days.
 */
import { IcsError } from './ics-days.ts';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export async function fetchFeed(url: string, limits: FetchLimits): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(limits.timeoutMs),
      headers: { accept: 'text/calendar, text/plain;q=0.9, */*;q=0.5', 'user-agent': 'Hourglass (holiday and absence calendars)' },
    });
  } catch (err) {
    throw new IcsError(failure(err, limits));
  }
  if (!/^https?:$/.test(new URL(res.url || url).protocol)) throw new IcsError('the feed redirected to an address that is not http(s)');
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new IcsError(`the feed answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new IcsError(tooLarge(limits));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = res.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
      size += part.value.byteLength;
      if (size > limits.maxBytes) {
        await reader!.cancel().catch(() => {});
        throw new IcsError(tooLarge(limits));
      }
      chunks.push(part.value);
    }
  } catch (err) {
    if (err instanceof IcsError) throw err;
    throw new IcsError(failure(err, limits));
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

const tooLarge = (l: FetchLimits) => `the feed is larger than ${Math.round(l.maxBytes / 1024)} kB (LEAVE_FEED_MAX_BYTES)`;

function failure(err: unknown, limits: FetchLimits): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `the feed did not answer within ${limits.timeoutMs / 1000} s`;
  const code = e?.cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the feed’s host name is not known (check the address)';
  if (code === 'ECONNREFUSED') return 'the feed’s server refused the connection';
  return `the feed could not be fetched (${code ?? e?.cause?.message ?? (err instanceof Error ? err.message : 'network error')})`.slice(0, 300);
}
