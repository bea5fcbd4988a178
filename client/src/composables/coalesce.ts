/**
 * One run at a time: a call made while a run is on its way runs once more after it (however many
 * calls came meanwhile), so news that arrives mid-fetch is never lost and never fetched twice over.
 */
export function coalesced(fn: () => Promise<void>): () => Promise<void> {
  let inflight: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  const run = (): Promise<void> => {
    if (inflight) {
      again ??= inflight.then(() => {
        again = null;
        return run();
      });
      return again;
    }
    inflight = fn().finally(() => {
      inflight = null;
    });
    return inflight;
  };
  return run;
}
