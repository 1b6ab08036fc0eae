/**
 * Where an import's events sit in the log, in words. Records retried later are appended after other
 * imports' events, so a range wider than the batch's count is said to hold others too.
 */
export function seqRangeText(first: number, last: number, imported: number): string {
  if (first === last) return `#${first}`;
  return last - first + 1 > imported ? `${imported.toLocaleString('en-US')} between #${first} and #${last}, among other imports' events` : `#${first} to #${last}`;
}
