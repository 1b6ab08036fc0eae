import type { IngestFormat } from '../../../shared/contract/events';
import { detectCsvDelimiter, parseCsvRow } from './formats/csv';
import { isObject, parseJsonRecord, type JsonObject } from './json-guard';
import type { RawRecord } from './record';
import { CsvSplitter } from './split/csv-splitter';
import { JsonDocumentSplitter } from './split/json-splitter';
import { stripBomSync } from './split/split-records';

/** How much of a file (decompressed) detection looks at. */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

export const JSON_FORMATS: ReadonlySet<IngestFormat> = new Set(['ocsf', 'cloudtrail', 'okta', 'ecs']);

/** How a JSON file is cut into records: one per line, or by scanning the document's brackets. */
export type JsonLayout = 'lines' | 'document';

function firstNonSpace(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return i;
  }
  return -1;
}

/**
 * Where the line holding the first character other than a BOM, space, tab or line break starts; -1 when
 * there is none. A log may start with blank lines, more than detection's sample holds.
 */
export function firstContentLine(buf: Buffer): number {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
  }
  if (i === buf.length) return -1;
  let start = i;
  while (start > 0 && buf[start - 1] !== 0x0a && buf[start - 1] !== 0x0d) start--;
  return start;
}

/** What the caller knows about the file's source that bears on its format. */
export interface DetectHints {
  /** The source's saved CSV mapping: a file whose header has its columns is that CSV. */
  csvMapping?: Record<string, string> | null;
}

/** The format of a file from its first bytes (already decompressed), or null when none fits. */
export function detectFormat(sample: Buffer, hints: DetectHints = {}): IngestFormat | null {
  const s = stripBomSync(sample.subarray(0, DETECT_SAMPLE_BYTES));
  const start = firstNonSpace(s);
  if (start === -1) return null;
  const b = s[start];
  if (b === 0x7b || b === 0x5b) return detectJson(s.subarray(start));
  if (hints.csvMapping && headerHasMappedColumns(s.subarray(start), hints.csvMapping)) return 'csv';
  return detectText(s);
}

/** A sentence for the operator when detectFormat returned null. */
export function describeUnrecognised(sample: Buffer): string {
  if (sample.length === 0 || firstNonSpace(stripBomSync(sample)) === -1) return 'the file is empty';
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) return 'it is UTF-16 text; save it as UTF-8';
  if (sample.subarray(0, 4096).includes(0)) return 'it looks like binary data, not a log';
  const s = stripBomSync(sample);
  const b = s[firstNonSpace(s)];
  if (b === 0x7b || b === 0x5b) {
    // Shapes of AWS files that sit beside CloudTrail logs but hold no events Attest reads as such.
    const head = s.subarray(0, 64 * 1024).toString('utf8');
    if (/"digestPublicKeyFingerprint"\s*:/.test(head) || (/"logFiles"\s*:/.test(head) && /"digestEndTime"\s*:/.test(head))) {
      return 'it is a CloudTrail digest file (hashes of log files, not events): import the log files it lists';
    }
    return 'it is JSON, but not OCSF, CloudTrail, Okta System Log or ECS; choose a format explicitly';
  }
  return 'it is not JSON, CEF, syslog or CSV with a header; choose a format explicitly';
}

// ---- JSON ---------------------------------------------------------------------------------------

/**
 * An Okta event hook's POST body: System Log events under data.events ({"eventType":"com.okta.event_hook",
 * "data":{"events":[...]}}), read by formats/okta.ts as one record holding those events.
 */
function isOktaEventHookDelivery(o: JsonObject): boolean {
  return o.eventType === 'com.okta.event_hook' && isObject(o.data) && Array.isArray(o.data.events);
}

export function classifyJsonObject(o: JsonObject): IngestFormat | null {
  if (typeof o.class_uid === 'number') return 'ocsf';
  if (Array.isArray(o.Records)) {
    const first = o.Records[0];
    return isObject(first) ? classifyJsonObject(first) : 'cloudtrail';
  }
  // `aws cloudtrail lookup-events` output, and each of its events (the record is a JSON string inside).
  if (Array.isArray(o.Events) && isObject(o.Events[0])) return classifyJsonObject(o.Events[0]);
  if (typeof o.CloudTrailEvent === 'string' && typeof o.EventName === 'string') return 'cloudtrail';
  // EventBridge envelope around a CloudTrail record.
  if (typeof o['detail-type'] === 'string' && isObject(o.detail) && classifyJsonObject(o.detail) === 'cloudtrail') return 'cloudtrail';
  if (typeof o.eventName === 'string' && typeof o.eventSource === 'string' && ('eventVersion' in o || 'userIdentity' in o || 'awsRegion' in o)) return 'cloudtrail';
  if (isOktaEventHookDelivery(o)) return 'okta';
  if (typeof o.eventType === 'string' && typeof o.published === 'string' && ('actor' in o || 'outcome' in o || 'uuid' in o)) return 'okta';
  if ('@timestamp' in o || 'ecs.version' in o || isObject(o.ecs) || 'event.category' in o || 'event.action' in o) return 'ecs';
  if (isObject(o.event) && ('category' in o.event || 'kind' in o.event || 'action' in o.event || 'outcome' in o.event)) return 'ecs';
  return null;
}

function detectJson(s: Buffer): IngestFormat | null {
  const splitter = new JsonDocumentSplitter();
  const out: RawRecord[] = [];
  splitter.push(s, out); // no end(): a record cut by the sample's edge is not a record yet
  for (const rec of out.slice(0, 20)) {
    if (rec.error) continue;
    const parsed = parseJsonRecord(rec.raw.toString('utf8'));
    if (parsed.ok && isObject(parsed.value)) {
      const f = classifyJsonObject(parsed.value);
      if (f) return f;
    }
  }
  if (out.length > 0) return null;
  // The first record is longer than the sample: judge by the keys we can see.
  const text = s.toString('utf8');
  if (/"class_uid"\s*:\s*\d/.test(text)) return 'ocsf';
  if (/"eventSource"\s*:/.test(text) && /"eventName"\s*:/.test(text)) return 'cloudtrail';
  if (/"eventType"\s*:/.test(text) && /"published"\s*:/.test(text)) return 'okta';
  if (/"@timestamp"\s*:/.test(text)) return 'ecs';
  return null;
}

/** Complete lines of the sample judged for the layout. */
const LAYOUT_LINES = 20;

/**
 * JSON Lines unless the sample shows a document: it opens with an array or a records container
 * ({"Records":[...]}), or one of its first lines ends inside an unclosed value (a pretty-printed object).
 * Judged over several lines, not the first alone: a first line with garbage after its value is one bad
 * record of a JSON Lines file (quarantined whole), not the start of a document.
 */
export function detectJsonLayout(sample: Buffer): JsonLayout {
  const s = stripBomSync(sample);
  const start = firstNonSpace(s);
  if (start === -1 || s[start] === 0x5b) return 'document';
  const rest = s.subarray(start);
  const nl = rest.indexOf(10);
  const first = lineShape(nl === -1 ? rest : rest.subarray(0, nl));
  if (first.container) return 'document';
  // One line longer than the sample and no container in sight: lines and document cut it alike.
  if (nl === -1 || first.single) return 'lines';
  let judged = 0;
  let from = 0;
  // Complete lines only: the sample's last line may be cut.
  for (let end = nl; end !== -1 && judged < LAYOUT_LINES; from = end + 1, end = rest.indexOf(10, from)) {
    const line = rest.subarray(from, end);
    if (firstNonSpace(line) === -1) continue;
    judged++;
    if (lineShape(line).midValue) return 'document';
  }
  return 'lines';
}

/** How one line reads alone: exactly one complete value; a records container opened; a value left open. */
function lineShape(line: Buffer): { single: boolean; container: boolean; midValue: boolean } {
  const splitter = new JsonDocumentSplitter();
  const out: RawRecord[] = [];
  splitter.push(line, out);
  return { single: out.length >= 1 && splitter.idle, container: splitter.sawContainer, midValue: splitter.midValue };
}

// ---- Text ---------------------------------------------------------------------------------------

const CEF_RE = /(^|\s|:)CEF:\d{1,3}\|/;
const SYSLOG_RES = [
  /^<\d{1,3}>\d{1,2} (\S+) \S+ \S+ \S+ \S+ /, // RFC 5424
  /^(<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} (\d{4} )?\d{2}:\d{2}:\d{2}(\.\d+)? \S/, // RFC 3164
  // rsyslog RFC 3339 traditional. The time ends at its zone and a space: "2024-03-08T09:14:22Z,Megan Bowen,…"
  // is a CSV row whose later fields hold spaces, not a syslog line.
  /^(<\d{1,3}>)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([.,]\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)? \S+ \S/,
];

function sampleLines(s: Buffer): string[] {
  let text = s.toString('utf8');
  // The sample may end mid-line: drop the partial last line unless it is all we have.
  const lastNl = text.lastIndexOf('\n');
  if (s.length >= DETECT_SAMPLE_BYTES && lastNl > 0) text = text.slice(0, lastNl);
  return text
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '')
    .slice(0, 200);
}

function isCef(line: string): boolean {
  return line.startsWith('CEF:') || CEF_RE.test(line.slice(0, 2048));
}

function isSyslog(line: string): boolean {
  return SYSLOG_RES.some((re) => re.test(line));
}

function detectText(s: Buffer): IngestFormat | null {
  const lines = sampleLines(s);
  const first = lines[0];
  if (first === undefined) return null;
  const probe = lines.slice(0, 50);
  const cef = probe.filter(isCef).length;
  if (cef >= Math.max(1, probe.length / 2)) return 'cef';
  // A header of names over rows that all split into as many fields is a CSV export, whatever its cells
  // hold (a first column of times and free text with spaces and colons looked like syslog lines).
  const csv = csvShape(s);
  const syslog = probe.filter(isSyslog).length;
  // Rows that are syslog lines need a header of one-word names ("Message,Note"): a banner such as
  // "logfile started, host a, pid 5" over lines with as many commas is a syslog file.
  const rowsSyslog = probe.length > 1 && syslog >= (probe.length - 1) * 0.6;
  if (csv?.strict && !isCef(first) && !isSyslog(first) && (!rowsSyslog || csv.oneWordNames)) return 'csv';
  if (syslog >= Math.max(1, probe.length * 0.6)) return 'syslog';
  if (csv?.loose) return 'csv';
  return null;
}

/** A cell that is data, not a column name: a number, a date or a time of day. */
const DATA_CELL = /^([-+\d.:\s/]+|\d{4}-\d{2}-\d{2}([T ].*)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( .*)?|\d{1,2}:\d{2}(:\d{2})?( .*)?)$/;
/** A name in a header: short, a few words (a longer one is a sentence of a log line). */
const MAX_STRICT_NAME_CHARS = 64;
const MAX_STRICT_NAME_WORDS = 6;
/** Marks of a log line or a comment, not of a column name: key=value, sshd[12]:, "tag: ", <PRI>, a leading #. */
const NOT_A_NAME = /[=[\]<>]|:\s|^#/;

/**
 * How the sample reads as CSV with its first row as the header. loose: the long-standing test (mostly
 * labels, 80 % of the rows with the header's field count); strict: every name a short label, and at
 * least one row, all rows (but for one in ten) with the header's field count: then the file is CSV
 * even when its rows would also pass as syslog lines.
 */
function csvShape(s: Buffer): { loose: boolean; strict: boolean; oneWordNames: boolean } | null {
  const nl = s.indexOf(10);
  const headerLine = (nl === -1 ? s : s.subarray(0, nl)).toString('utf8').replace(/\r$/, '');
  const delimiter = detectCsvDelimiter(headerLine);
  const splitter = new CsvSplitter(delimiter);
  const rows: RawRecord[] = [];
  splitter.push(s, rows);
  if (s.length < DETECT_SAMPLE_BYTES) splitter.end(rows);
  const header = rows[0];
  if (!header || header.error) return null;
  const names = parseCsvRow(header.raw.toString('utf8'), delimiter);
  if (typeof names === 'string' || names.length < 2) return null;
  // Header names are short labels, not data: mostly non-empty and not numbers.
  const labels = names.filter((n) => n.trim() !== '' && n.length <= 128 && !/^[-+\d.:\s/]+$/.test(n));
  if (labels.length < names.length * 0.8) return null;
  const strictNames = names.every((n) => {
    const t = n.trim();
    return t !== '' && t.length <= MAX_STRICT_NAME_CHARS && t.split(/\s+/).length <= MAX_STRICT_NAME_WORDS && !NOT_A_NAME.test(t) && !DATA_CELL.test(t);
  });
  const data = rows.slice(1, 101).filter((r) => !r.error);
  const oneWordNames = names.every((n) => /^\S+$/.test(n.trim()));
  if (data.length === 0) return { loose: true, strict: false, oneWordNames };
  const consistent = data.filter((r) => {
    const f = parseCsvRow(r.raw.toString('utf8'), delimiter);
    if (typeof f === 'string') return false;
    // Empty fields after the last column (a trailing delimiter) are not extra fields, as when rows are read.
    let n = f.length;
    while (n > names.length && f[n - 1] === '') n--;
    return n === names.length;
  }).length;
  return { loose: consistent >= data.length * 0.8, strict: strictNames && consistent >= data.length * 0.9, oneWordNames };
}

/**
 * True when the first line, read as a CSV header, names the columns of the source's CSV mapping: the
 * column mapped to time (the one a CSV needs), or every mapped column when the mapping has no time.
 */
function headerHasMappedColumns(s: Buffer, mapping: Record<string, string>): boolean {
  const columns = Object.entries(mapping);
  if (columns.length === 0) return false;
  const nl = s.indexOf(10);
  // A header longer than the sample is no header.
  if (nl === -1 && s.length >= DETECT_SAMPLE_BYTES) return false;
  const headerLine = (nl === -1 ? s : s.subarray(0, nl)).toString('utf8').replace(/\r$/, '');
  const names = parseCsvRow(headerLine, detectCsvDelimiter(headerLine));
  if (typeof names === 'string') return false;
  const have = new Set(names);
  const time = mapping.time;
  return time !== undefined ? have.has(time) : columns.every(([, col]) => have.has(col));
}
