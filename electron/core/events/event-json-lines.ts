import { isUtf8 } from 'node:buffer';
import type { Db } from '../vault/database';
import { blockReaderFor } from './block-reader';

/**
 * `attest events --json` lines: each event's stored canonical JSON with its sequence number put first and
 * the original record last, as OCSF's `raw_data` (the text as received; a record that is not valid UTF-8
 * also gets `raw_data_base64`, its exact bytes). Read through the block reader (no per-row re-validation:
 * the stored bytes are what the chain hashes, and `attest verify` is how they are checked).
 */
export function eventJsonLineReader(db: Db): (seq: number) => string | null {
  const reader = blockReaderFor(db);
  return (seq) => {
    const found = reader.event(seq);
    if (!found) return null;
    const body = found.block.eventJson(found.record).trim();
    if (!body.startsWith('{') || !body.endsWith('}')) return JSON.stringify({ seq, unreadable: 'the stored event is not a JSON object; run attest verify' });
    const inner = body.slice(1, -1).trim();
    const raw = found.block.raw(found.record);
    const text = `"raw_data":${JSON.stringify(raw.toString('utf8'))}`;
    const original = isUtf8(raw) ? text : `${text},"raw_data_base64":"${raw.toString('base64')}"`;
    return inner === '' ? `{"seq":${seq},${original}}` : `{"seq":${seq},${inner},${original}}`;
  };
}
