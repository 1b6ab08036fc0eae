import { isUtf8 } from 'node:buffer';
import type { IngestFormat } from '../../../shared/contract/events';
import { replaceNulDeep } from './fields';
import { parseCefText } from './formats/cef';
import { parseCloudTrail } from './formats/cloudtrail';
import { parseCsvText } from './formats/csv';
import { parseEcs } from './formats/ecs';
import { parseOcsf } from './formats/ocsf';
import { parseOkta } from './formats/okta';
import { parseSyslogText } from './formats/syslog';
import { parseSyslogHeader } from './formats/syslog-header';
import { isObject, parseJsonRecord } from './json-guard';
import { arrayElementRanges } from './json-element-ranges';
import { failed, type ParseContext, type ParseOutcome } from './parse-types';
import type { RawRecord } from './record';

export type { ParseContext, ParseOutcome } from './parse-types';
export { effectiveSyslogDefaults, isValidZone, type SyslogDefaults } from './syslog-time';

const INVALID_UTF8_NOTE = 'the record is not valid UTF-8: invalid bytes were replaced with U+FFFD (the raw bytes are kept)';
const NUL_NOTE = 'NUL characters were replaced with U+FFFD (the raw bytes are kept)';

function addNotes(out: ParseOutcome, notes: string[]): ParseOutcome {
  if (!out.ok || notes.length === 0) return out;
  out.notes = out.notes ? [...notes, ...out.notes] : notes;
  return out;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/**
 * Parses one record of a known format into canonical events. Never throws: anything that cannot be
 * parsed or validated comes back as { ok:false, reason } for the quarantine.
 */
export function parseRecord(format: IngestFormat, raw: Buffer, ctx: ParseContext): ParseOutcome {
  try {
    return parseUnsafe(format, raw, ctx);
  } catch (e) {
    // A bug here must cost one record, not the import.
    const msg = e instanceof Error ? e.message : String(e);
    return failed(`the ${format} parser failed on this record: ${msg.slice(0, 160)}`);
  }
}

/** parseRecord for a splitter's record: one the splitter already rejected stays rejected. */
export function parseRawRecord(format: IngestFormat, record: RawRecord, ctx: ParseContext): ParseOutcome {
  if (record.error !== undefined) return failed(record.error);
  return parseRecord(format, record.raw, ctx);
}

function parseUnsafe(format: IngestFormat, raw: Buffer, ctx: ParseContext): ParseOutcome {
  const notes: string[] = [];
  const validUtf8 = isUtf8(raw);
  if (!validUtf8) notes.push(INVALID_UTF8_NOTE);
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  switch (format) {
    case 'ocsf':
    case 'cloudtrail':
    case 'okta':
    case 'ecs': {
      const parsed = parseJsonRecord(text);
      if (!parsed.ok) return parsed;
      const v = parsed.value;
      if (!isObject(v)) return failed(`expected a JSON object, got ${typeName(v)}`);
      const out = format === 'ocsf' ? parseOcsf(v, ctx) : format === 'cloudtrail' ? parseCloudTrail(v, ctx) : format === 'okta' ? parseOkta(v, ctx) : parseEcs(v, ctx);
      // A record of several events: each keeps its own element as raw bytes, not the whole record.
      if (out.ok && out.events.length > 1) {
        const path = format === 'cloudtrail' && Array.isArray(v.Records) ? ['Records'] : format === 'okta' && isObject(v.data) && Array.isArray(v.data.events) ? ['data', 'events'] : null;
        const ranges = path === null ? null : arrayElementRanges(raw, path);
        if (ranges !== null && ranges.length === out.events.length) out.rawSlices = ranges;
      }
      if (out.ok && text.includes('\\u0000')) {
        for (const ev of out.events) replaceNulDeep(ev);
        notes.push(NUL_NOTE);
      }
      if (out.ok && validUtf8) out.text = text;
      return addNotes(out, notes);
    }
    case 'syslog':
    case 'cef':
    case 'csv': {
      if (text.includes('\u0000')) {
        text = text.replace(/\u0000/g, '\uFFFD');
        notes.push(NUL_NOTE);
      }
      let out: ParseOutcome;
      if (format === 'csv') out = parseCsvText(text, ctx);
      else if (format === 'syslog') out = parseSyslogText(text, ctx);
      else out = parseCefLine(text, ctx);
      return addNotes(out, notes);
    }
    default:
      return failed(`unknown format ${String(format)}`);
  }
}

/** A CEF file's line: bare CEF, or CEF inside a syslog line; anything else is read as plain syslog. */
function parseCefLine(line: string, ctx: ParseContext): ParseOutcome {
  if (line.startsWith('CEF:')) return parseCefText(line, ctx);
  const at = line.indexOf('CEF:');
  if (at > 0) {
    const h = parseSyslogHeader(line, ctx);
    return parseCefText(h.msg.startsWith('CEF:') ? h.msg : line.slice(at), ctx, h.rfc === 'none' ? undefined : h);
  }
  return parseSyslogText(line, ctx);
}
