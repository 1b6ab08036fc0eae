import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { endpoint, isIpAddress, MAX_FIELD_CHARS, syslogSeverityToOcsf, user, withNames } from '../fields';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime } from '../time';
import { parseCefText } from './cef';
import { matchRepeated } from './sshd-auth';
import { parseSyslogHeader, type SyslogHeader } from './syslog-header';
import { matchLastRepeated, rememberLine } from './syslog-repeats';
import type { UnixFinding } from './unix-finding';
import { matchUnixLine, withoutSolarisMsgId } from './unix-lines';

/**
 * One syslog line (RFC 5424 or RFC 3164). Unix auth.log lines (sshd, PAM, sudo, su, shadow-utils) become
 * OCSF Authentication, Authorize Session, Account Change or Group Management events (unix-lines.ts); a CEF
 * payload is parsed as CEF; every other line becomes a Base Event with its message.
 * `notes` say which year and zone were assumed when the timestamp had none.
 */
export function parseSyslogText(text: string, ctx: ParseContext): ParseOutcome {
  // The splitter strips CR already; a caller passing a raw CRLF line gets the same result.
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  const h = parseSyslogHeader(line, ctx);
  const body = withoutSolarisMsgId(h.msg);
  const lastRepeated = matchLastRepeated(body, h, ctx);
  // The line a "last message repeated" after it would repeat (that line itself repeats the one before).
  if (!lastRepeated) rememberLine(ctx, h, body);
  if (h.msg.startsWith('CEF:')) return parseCefText(h.msg, ctx, h);
  if (h.time === null) return failed(h.timeProblem ?? 'the syslog line has no usable timestamp');
  const bad = implausibleTime(h.time, ctx.now, 'text');
  if (bad) return failed(bad);

  const notes = h.notes.length > 0 ? h.notes : undefined;
  const keyed = (out: ParseOutcome): ParseOutcome => (out.ok && h.keyTime !== undefined ? { ...out, dedupTimes: [h.keyTime] } : out);
  const done = (event: CanonicalEvent): ParseOutcome => keyed(notes ? { ok: true, events: [event], notes } : { ok: true, events: [event] });

  if (lastRepeated) {
    const prev = lastRepeated.previous;
    const head: SyslogHeader = prev?.app !== undefined && h.app === undefined ? { ...h, app: prev.app } : h;
    const found = prev ? matchUnixLine(head.app, prev.msg) : null;
    const event = found ? withCount(findingEvent(head, found, h.time), lastRepeated.count) : baseEvent(head, h.time);
    if (prev && event.unmapped) event.unmapped.repeated_message = prev.msg.slice(0, MAX_FIELD_CHARS);
    return done(event);
  }
  const repeated = matchRepeated(body);
  const found = matchUnixLine(h.app, repeated ? repeated.inner : body);
  // syslogd folded identical lines into one: one record, one event carrying OCSF's `count`, so a file's
  // records and events stay one to one (read = imported + duplicates + quarantined per line).
  if (repeated && found) return done(withCount(findingEvent(h, found, h.time), repeated.count));
  return done(found ? findingEvent(h, found, h.time) : baseEvent(h, h.time));
}

/** The occurrences an event stands for: a repeat's count times those of the line repeated. */
function withCount(e: CanonicalEvent, repeats: number): CanonicalEvent {
  if (repeats <= 0) return e;
  e.count = Math.min(repeats * (e.count ?? 1), Number.MAX_SAFE_INTEGER);
  return e;
}

function common(h: SyslogHeader, time: number): Pick<CanonicalEvent, 'time' | 'severity_id' | 'metadata'> {
  return {
    time,
    severity_id: h.pri === undefined ? 0 : syslogSeverityToOcsf(h.pri % 8),
    metadata: { product: { name: h.app ?? 'syslog' } },
  };
}

function syslogUnmapped(h: SyslogHeader): Record<string, unknown> {
  const u: Record<string, unknown> = { syslog_rfc: h.rfc };
  if (h.host !== undefined) u.host = h.host;
  if (h.app !== undefined) u.program = h.app;
  if (h.pid !== undefined) u.pid = h.pid;
  if (h.msgId !== undefined) u.msgid = h.msgId;
  if (h.pri !== undefined) u.facility = h.pri >> 3;
  if (h.structuredData !== undefined) u.structured_data = h.structuredData;
  return u;
}

function findingEvent(h: SyslogHeader, f: UnixFinding, time: number): CanonicalEvent {
  const e: CanonicalEvent = {
    class_uid: f.classUid,
    activity_id: f.activityId,
    status_id: f.success ? 1 : 2,
    status_detail: f.detail,
    message: h.msg,
    ...common(h, time),
  };
  if (f.activityName !== undefined) e.activity_name = f.activityName;
  if (f.count !== undefined) e.count = f.count;
  const actor = user(f.user, f.uid);
  if (actor) e.actor = actor;
  if (f.target) e.resources = [{ ...f.target }];
  const src = f.source === undefined ? undefined : isIpAddress(f.source) ? endpoint(f.source, f.port) : endpoint(undefined, f.port, f.source);
  if (src) e.src_endpoint = src;
  if (h.host !== undefined) e.dst_endpoint = { hostname: h.host };
  const u = syslogUnmapped(h);
  if (f.method !== undefined) u.auth_method = f.method;
  if (f.invalidUser) u.invalid_user = true;
  if (f.pamService !== undefined) u.pam_service = f.pamService;
  if (f.command !== undefined) u.command = f.command;
  e.unmapped = u;
  return withNames(e);
}

function baseEvent(h: SyslogHeader, time: number): CanonicalEvent {
  return withNames({
    class_uid: 0,
    activity_id: 99,
    status_id: 0,
    message: h.msg,
    ...common(h, time),
    unmapped: syslogUnmapped(h),
  });
}
