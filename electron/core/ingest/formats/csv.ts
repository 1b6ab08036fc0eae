import { OCSF_CLASS_NAMES, type CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { CSV_TARGET_FIELDS, suggestCsvMapping, type CsvFieldKind } from '../csv-mapping';
import { ACTIVITY_NAMES, endpoint, MAX_FIELD_CHARS, withNames } from '../fields';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { csvTime, describeTimeColumn, type CsvTimeColumn } from '../csv-time';
import { implausibleTime } from '../time';

const MAX_COLUMNS = 2000;
const MAX_UNMAPPED_COLUMNS = 200;

/** One CSV row (RFC 4180 quoting, "" inside quotes) into its fields; a string when the quoting is broken. */
export function parseCsvRow(text: string, delimiter = ','): string[] | string {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (fields.length >= MAX_COLUMNS) return `the row has more than ${MAX_COLUMNS} columns`;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) return 'a quoted field is not closed';
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept, as lenient readers do.
      const d = text.indexOf(delimiter, i);
      const tail = d === -1 ? text.slice(i) : text.slice(i, d);
      fields.push(value + tail);
      if (d === -1) return fields;
      i = d + 1;
    } else {
      const d = text.indexOf(delimiter, i);
      if (d === -1) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, d));
      i = d + 1;
    }
    if (i > n) return fields;
  }
}

/** The delimiter a header line uses: the most frequent of , ; tab | outside quotes. */
export function detectCsvDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let inQuote = false;
  for (const c of headerLine) {
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c in counts) counts[c]!++;
  }
  let best = ',';
  for (const d of [';', '\t', '|']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

/** Delimiters of headers read by openInput, for callers that pass the header but not the delimiter. */
export const headerDelimiters = new WeakMap<string[], string>();
const suggestions = new WeakMap<string[], Record<string, string>>();

function suggestedFor(header: string[]): Record<string, string> {
  let m = suggestions.get(header);
  if (!m) {
    m = suggestCsvMapping(header);
    suggestions.set(header, m);
  }
  return m;
}

interface Plan {
  columns: Array<{ index: number; path: string; kind: CsvFieldKind }>;
  unmapped: Array<{ index: number; name: string }>;
  /** The column mapped to time, as its reasons and notes name it. */
  timeColumn?: CsvTimeColumn;
}

const plans = new WeakMap<string[], WeakMap<Record<string, string>, Plan>>();

function planFor(header: string[], mapping: Record<string, string>): Plan {
  let inner = plans.get(header);
  if (!inner) {
    inner = new WeakMap();
    plans.set(header, inner);
  }
  let plan = inner.get(mapping);
  if (!plan) {
    const kinds = new Map(CSV_TARGET_FIELDS.map((f) => [f.path, f.kind]));
    const columns: Plan['columns'] = [];
    const usedIdx = new Set<number>();
    for (const [path, col] of Object.entries(mapping)) {
      const kind = kinds.get(path);
      const index = header.indexOf(col);
      if (kind === undefined || index === -1) continue;
      columns.push({ index, path, kind });
      usedIdx.add(index);
    }
    const unmapped = header
      .map((name, index) => ({ name, index }))
      .filter((c) => !usedIdx.has(c.index) && c.name !== '')
      .slice(0, MAX_UNMAPPED_COLUMNS);
    plan = { columns, unmapped };
    const time = columns.find((c) => c.kind === 'time');
    if (time) plan.timeColumn = describeTimeColumn(header, time.index);
    inner.set(mapping, plan);
  }
  return plan;
}

const CLASS_BY_NAME = new Map(Object.entries(OCSF_CLASS_NAMES).map(([id, name]) => [name.toLowerCase(), Number(id)]));
const SUCCESS_WORDS = new Set(['success', 'succeeded', 'successful', 'ok', 'true', 'yes', 'pass', 'passed', 'allow', 'allowed', 'accept', 'accepted', 'granted', '1']);
const FAILURE_WORDS = new Set(['failure', 'failed', 'fail', 'false', 'no', 'error', 'denied', 'deny', 'blocked', 'rejected', 'reject', '2']);
const SEVERITY_WORDS: Record<string, number> = { unknown: 0, informational: 1, info: 1, low: 2, medium: 3, high: 4, critical: 5, fatal: 6 };
const LOGON = /^(log ?on|log ?in|sign ?in|authenticat\w*)$/;
const LOGOFF = /^(log ?off|log ?out|sign ?out|sign ?off)$/;

function setPath(e: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = e;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i] as string;
    let next = cur[k] as Record<string, unknown> | undefined;
    if (next === undefined) {
      next = {};
      cur[k] = next;
    }
    cur = next;
  }
  cur[parts[parts.length - 1] as string] = value;
}

/** One CSV data row, mapped with the source's mapping over the file's header. */
export function parseCsvText(row: string, ctx: ParseContext): ParseOutcome {
  const header = ctx.csvHeader;
  if (!header || header.length === 0) return failed('the CSV file has no header row');
  const mapping = ctx.csvMapping ?? suggestedFor(header);
  const fields = parseCsvRow(row, ctx.csvDelimiter ?? headerDelimiters.get(header) ?? ',');
  if (typeof fields === 'string') return failed(fields);
  // A row whose fields do not line up with the header cannot be mapped safely: a missing or extra field,
  // or a stray quote that folded the next row into this one. Its bytes go to quarantine as they are.
  // Empty fields after the last column (a trailing delimiter, as some exports write) hold nothing.
  while (fields.length > header.length && fields[fields.length - 1] === '') fields.pop();
  if (fields.length !== header.length) {
    return failed(`the row has ${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${header.length}`);
  }
  const plan = planFor(header, mapping);

  const notes: string[] = [];
  let time: number | null = null;
  let keyTime: number | undefined;
  let classUid: number | null = null;
  let activityText: string | null = null;
  let activityId: number | null = null;
  const e: Record<string, unknown> = { status_id: 0, severity_id: 0, metadata: { product: { name: 'CSV' } } };
  for (const c of plan.columns) {
    const raw = fields[c.index];
    if (raw === undefined || raw === '') continue;
    const v = raw.length > MAX_FIELD_CHARS ? raw.slice(0, MAX_FIELD_CHARS) : raw;
    switch (c.kind) {
      case 'time': {
        const t = csvTime(v, ctx, plan.timeColumn);
        if (typeof t === 'string') return failed(t);
        time = t.ms;
        keyTime = t.keyMs;
        notes.push(...t.notes);
        break;
      }
      case 'class': {
        const n = /^\d{1,6}$/.test(v.trim()) ? Number(v) : CLASS_BY_NAME.get(v.trim().toLowerCase());
        if (n === undefined) return failed(`"${v.slice(0, 40)}" is not an OCSF class id or name`);
        classUid = n;
        break;
      }
      case 'activity':
        if (/^\d{1,4}$/.test(v.trim())) activityId = Number(v);
        else activityText = v.trim().toLowerCase();
        break;
      case 'status': {
        const w = v.trim().toLowerCase();
        e.status_id = SUCCESS_WORDS.has(w) ? 1 : FAILURE_WORDS.has(w) ? 2 : w === '0' || w === 'unknown' ? 0 : 99;
        if (e.status_id === 99) e.status = v;
        break;
      }
      case 'severity': {
        const w = v.trim().toLowerCase();
        const n = /^\d{1,2}$/.test(w) ? Number(w) : SEVERITY_WORDS[w];
        if (n !== undefined && (n <= 6 || n === 99)) e.severity_id = n;
        break;
      }
      case 'port':
      case 'int': {
        const n = /^\d{1,5}$/.test(v.trim()) ? Number(v) : undefined;
        if (n !== undefined && n <= 65535) setPath(e, c.path, n);
        break;
      }
      case 'address': {
        const side = c.path.split('.')[0] as string;
        const ep = endpoint(v.trim());
        if (ep) for (const [k, val] of Object.entries(ep)) setPath(e, `${side}.${k}`, val);
        break;
      }
      default:
        setPath(e, c.path, v);
    }
  }
  if (time === null) return failed('the time column is empty in this row');
  const bad = implausibleTime(time, ctx.now);
  if (bad) return failed(bad);
  e.time = time;

  const operation = ((e.api as { operation?: string } | undefined)?.operation ?? '').trim().toLowerCase();
  const hint = activityText ?? operation;
  if (classUid === null) classUid = LOGON.test(hint) || LOGOFF.test(hint) ? 3002 : 0;
  if (activityId === null) {
    if (classUid === 3002) activityId = LOGOFF.test(hint) ? 2 : LOGON.test(hint) ? 1 : 99;
    else {
      const names = ACTIVITY_NAMES[classUid] ?? {};
      const found = Object.entries(names).find(([, name]) => name.toLowerCase() === hint);
      activityId = found ? Number(found[0]) : 99;
    }
  }
  e.class_uid = classUid;
  e.activity_id = activityId;

  if (plan.unmapped.length > 0) {
    // Null prototype: column names come from the file ("__proto__" is just a name here).
    const unmapped = Object.create(null) as Record<string, unknown>;
    for (const u of plan.unmapped) {
      const v = fields[u.index];
      if (v !== undefined && v !== '') unmapped[u.name] = v.length > MAX_FIELD_CHARS ? v.slice(0, MAX_FIELD_CHARS) : v;
    }
    if (Object.keys(unmapped).length > 0) e.unmapped = unmapped;
  }
  if (fields.length !== header.length) notes.push(`the row has ${fields.length} fields, the header ${header.length}`);
  const event = withNames(e as unknown as CanonicalEvent);
  const out: ParseOutcome = notes.length > 0 ? { ok: true, events: [event], notes } : { ok: true, events: [event] };
  if (keyTime !== undefined && out.ok) out.dedupTimes = [keyTime];
  return out;
}
