import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { endpoint, isIpAddress, syslogSeverityToOcsf, user, withNames } from '../fields';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime } from '../time';
import { parseCefText } from './cef';
import { matchAuth, matchRepeated, type AuthFinding } from './sshd-auth';
import { parseSyslogHeader, type SyslogHeader } from './syslog-header';

/**
 * One syslog line (RFC 5424 or RFC 3164). sshd/PAM authentication lines become OCSF Authentication
 * events; a CEF payload is parsed as CEF; every other line becomes a Base Event with its message.
 * `notes` say which year and zone were assumed when the timestamp had none.
 */
export function parseSyslogText(text: string, ctx: ParseContext): ParseOutcome {
  // The splitter strips CR already; a caller passing a raw CRLF line gets the same result.
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  const h = parseSyslogHeader(line, ctx);
  if (h.msg.startsWith('CEF:')) return parseCefText(h.msg, ctx, h);
  if (h.time === null) return failed(h.timeProblem ?? 'the syslog line has no usable timestamp');
  const bad = implausibleTime(h.time, ctx.now, 'text');
  if (bad) return failed(bad);

  const notes = h.notes.length > 0 ? h.notes : undefined;
  const keyed = (out: ParseOutcome): ParseOutcome => (out.ok && h.keyTime !== undefined ? { ...out, dedupTimes: [h.keyTime] } : out);
  const repeated = matchRepeated(h.msg);
  const auth = matchAuth(h.app, repeated ? repeated.inner : h.msg);
  if (repeated && auth) {
    // syslogd folded identical lines into one: one record, one event carrying OCSF's `count`, so a file's
    // records and events stay one to one (read = imported + duplicates + quarantined per line).
    const event: CanonicalEvent = { ...authEvent(h, auth, h.time), count: repeated.count };
    return keyed(notes ? { ok: true, events: [event], notes } : { ok: true, events: [event] });
  }
  const event = auth ? authEvent(h, auth, h.time) : baseEvent(h, h.time);
  return keyed(notes ? { ok: true, events: [event], notes } : { ok: true, events: [event] });
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

function authEvent(h: SyslogHeader, a: AuthFinding, time: number): CanonicalEvent {
  const e: CanonicalEvent = {
    class_uid: 3002,
    activity_id: a.activity,
    status_id: a.success ? 1 : 2,
    status_detail: a.detail,
    message: h.msg,
    ...common(h, time),
  };
  const actor = user(a.user, undefined);
  if (actor) e.actor = actor;
  const src = a.source === undefined ? undefined : isIpAddress(a.source) ? endpoint(a.source, a.port) : endpoint(undefined, a.port, a.source);
  if (src) e.src_endpoint = src;
  if (h.host !== undefined) e.dst_endpoint = { hostname: h.host };
  const u = syslogUnmapped(h);
  if (a.method !== undefined) u.auth_method = a.method;
  if (a.invalidUser) u.invalid_user = true;
  if (a.pamService !== undefined) u.pam_service = a.pamService;
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
