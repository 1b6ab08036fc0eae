import type { Db } from '../vault/database';
import { blockReaderFor } from './block-reader';

/**
 * `attest events --json` lines: each event's stored canonical JSON with its sequence number put first,
 * read through the block reader (no per-row re-validation: the stored bytes are what the chain
 * hashes, and `attest verify` is how they are checked).
 */
export function eventJsonLineReader(db: Db): (seq: number) => string | null {
  const reader = blockReaderFor(db);
  return (seq) => {
    const found = reader.event(seq);
    if (!found) return null;
    const body = found.block.eventJson(found.record).trim();
    if (!body.startsWith('{') || !body.endsWith('}')) return JSON.stringify({ seq, unreadable: 'the stored event is not a JSON object; run attest verify' });
    const inner = body.slice(1, -1).trim();
    return inner === '' ? `{"seq":${seq}}` : `{"seq":${seq},${inner}}`;
  };
}
