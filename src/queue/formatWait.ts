/**
 * Formats an estimated wait for the user: "less than a minute", "about 3 minutes", "about 2 hours".
 * Rounds up to whole minutes, because an estimate that reads shorter than the real wait annoys more.
 */
export function formatWait(waitMs: number): string {
  if (waitMs < 60_000) return 'less than a minute';
  const minutes = Math.ceil(waitMs / 60_000);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `about ${Math.round(minutes / 60)} hours`;
}
