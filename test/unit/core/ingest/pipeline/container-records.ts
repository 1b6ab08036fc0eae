import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A CloudTrail log as `zcat *.json.gz` gives it: one {"Records":[...]} object per line, each holding many
 * events. Records are the shared fixture's console login with other eventIDs and times.
 */
export function cloudTrailRecordsLines(lines: number, perLine: number): { text: string; records: string[][] } {
  const base = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../fixtures/ingest/cloudtrail/console_login.raw.json'), 'utf8')) as Record<string, unknown>;
  const records: string[][] = [];
  for (let l = 0; l < lines; l++) {
    const line: string[] = [];
    for (let i = 0; i < perLine; i++) {
      line.push(JSON.stringify({ ...base, eventID: `e-${l}-${i}`, eventTime: new Date(Date.UTC(2026, 9, 1, l, i)).toISOString() }));
    }
    records.push(line);
  }
  // Spaces after the commas, as a pretty writer leaves: each event keeps its element, not the separators.
  return { text: records.map((r) => `{"Records": [${r.join(', ')}]}`).join('\n') + '\n', records };
}
