import type { Db } from '../vault/database';

/**
 * `attest events --json` lines: each event's stored canonical JSON with its sequence number put first,
 * read with one prepared statement (no per-row re-validation: the stored bytes are what the chain
 * hashes, and `attest verify` is how they are checked).
 */
export function eventJsonLineReader(db: Db): (seq: number) => string | null {
  const stmt = db.prepare<[number], { event: string }>('SELECT event FROM events WHERE seq = ?');
  return (seq) => {
    const row = stmt.get(seq);
    if (!row) return null;
    const body = row.event.trim();
    if (!body.startsWith('{') || !body.endsWith('}')) return JSON.stringify({ seq, unreadable: 'the stored event is not a JSON object; run attest verify' });
    const inner = body.slice(1, -1).trim();
    return inner === '' ? `{"seq":${seq}}` : `{"seq":${seq},${inner}}`;
  };
}
