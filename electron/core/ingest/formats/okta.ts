import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { at, endpoint, looksLikeEmail, obj, str, user, withNames } from '../fields';
import { isObject, type JsonObject } from '../json-guard';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime, parseIsoTime } from '../time';

/** Okta eventType → [class_uid, activity_id]. Authentication first, then account lifecycle (OCSF Account Change). */
const EXACT: Record<string, [number, number]> = {
  'user.session.start': [3002, 1],
  'user.session.end': [3002, 2],
  'user.lifecycle.create': [3001, 1],
  'user.lifecycle.activate': [3001, 2],
  'user.lifecycle.reactivate': [3001, 2],
  'user.lifecycle.unsuspend': [3001, 2],
  'user.account.update_password': [3001, 3],
  'user.account.reset_password': [3001, 4],
  'user.lifecycle.deactivate': [3001, 5],
  'user.lifecycle.suspend': [3001, 5],
  'user.lifecycle.delete.initiated': [3001, 6],
  'user.lifecycle.delete.completed': [3001, 6],
  'user.account.lock': [3001, 9],
  'user.account.lock.limit': [3001, 9],
  'user.mfa.factor.activate': [3001, 10],
  'user.mfa.factor.deactivate': [3001, 11],
};

function classify(eventType: string): [number, number] {
  const exact = EXACT[eventType];
  if (exact) return exact;
  if (eventType.startsWith('user.authentication.')) return [3002, 1];
  return [0, 99];
}

const SEVERITY: Record<string, number> = { DEBUG: 1, INFO: 1, WARN: 3, ERROR: 4 };

const HOOK_EVENT_TYPE = 'com.okta.event_hook';

/**
 * An Okta event hook delivery ({"eventType":"com.okta.event_hook","data":{"events":[...]}}): its System
 * Log events, read as one record, as CloudTrail's {"Records":[...]}. One bad event quarantines the delivery.
 */
function parseEventHookDelivery(events: unknown[], ctx: ParseContext): ParseOutcome {
  const out: CanonicalEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (!isObject(ev)) return failed(`data.events[${i}] of the Okta event hook delivery is not an object`);
    if (ev.eventType === HOOK_EVENT_TYPE) return failed(`data.events[${i}] is itself an event hook delivery`);
    const one = parseOkta(ev, ctx);
    if (!one.ok) return failed(`data.events[${i}] of the Okta event hook delivery: ${one.reason}`);
    out.push(...one.events);
  }
  return { ok: true, events: out };
}

/** One Okta System Log event (as returned by /api/v1/logs), or an event hook delivery of several. */
export function parseOkta(v: JsonObject, ctx: ParseContext): ParseOutcome {
  if (v.eventType === HOOK_EVENT_TYPE) {
    const data = obj(v.data);
    if (!data || !Array.isArray(data.events)) return failed('an Okta event hook delivery without data.events');
    return parseEventHookDelivery(data.events, ctx);
  }
  const eventType = str(v.eventType);
  if (eventType === undefined) return failed('not an Okta System Log event: eventType is missing');
  if (typeof v.published !== 'string') return failed('Okta published time is missing or not a string');
  const parsed = parseIsoTime(v.published);
  if (!parsed) return failed('Okta published time is not an ISO 8601 time');
  const bad = implausibleTime(parsed.ms, ctx.now);
  if (bad) return failed(bad);

  const [classUid, activityId] = classify(eventType);
  const result = str(at(v, 'outcome', 'result'))?.toUpperCase();
  const statusId = result === 'SUCCESS' || result === 'ALLOW' ? 1 : result === 'FAILURE' || result === 'DENY' ? 2 : result === undefined || result === 'UNKNOWN' ? 0 : 99;
  const e: CanonicalEvent = {
    class_uid: classUid,
    activity_id: activityId,
    time: parsed.ms,
    status_id: statusId,
    severity_id: SEVERITY[str(v.severity)?.toUpperCase() ?? ''] ?? 0,
    metadata: { product: { name: 'Okta System Log', vendor_name: 'Okta' }, version: '1.3.0' },
  };
  const message = str(v.displayMessage);
  if (message !== undefined) e.message = message;
  const reason = str(at(v, 'outcome', 'reason'));
  if (reason !== undefined) e.status_detail = reason;
  const actor = obj(v.actor);
  // Okta names a sign-in by someone it does not know "unknown": the login they typed (alternateId) is
  // then the only name the event has, and the one an officer searches for.
  const displayName = str(actor?.displayName);
  const name = displayName === undefined || displayName.toLowerCase() === 'unknown' ? (str(actor?.alternateId) ?? displayName) : displayName;
  // The login (alternateId) is the e-mail address an officer searches by (OCSF maps it to email_addr).
  const login = str(actor?.alternateId);
  const email = login !== undefined && looksLikeEmail(login) ? login : undefined;
  const u = user(name, str(actor?.id), str(actor?.type), { email_addr: email });
  if (u) e.actor = u;
  const src = endpoint(str(at(v, 'client', 'ipAddress')));
  if (src) e.src_endpoint = src;
  const uid = str(v.uuid);
  if (uid !== undefined) e.metadata.uid = uid;
  if (Array.isArray(v.target)) {
    const resources: NonNullable<CanonicalEvent['resources']> = [];
    for (const t of v.target.slice(0, 100)) {
      const o = obj(t);
      if (!o) continue;
      const r: { name?: string; type?: string; uid?: string } = {};
      const name = str(o.displayName) ?? str(o.alternateId);
      if (name !== undefined) r.name = name;
      const type = str(o.type);
      if (type !== undefined) r.type = type;
      const id = str(o.id);
      if (id !== undefined) r.uid = id;
      resources.push(r);
    }
    if (resources.length > 0) e.resources = resources;
  }
  const unmapped: Record<string, unknown> = { eventType };
  if (login !== undefined && email === undefined) unmapped.actorAlternateId = login;
  const legacy = str(v.legacyEventType);
  if (legacy !== undefined) unmapped.legacyEventType = legacy;
  const ua = str(at(v, 'client', 'userAgent', 'rawUserAgent'));
  if (ua !== undefined) unmapped.userAgent = ua;
  const tx = str(at(v, 'transaction', 'id'));
  if (tx !== undefined) unmapped.transactionId = tx;
  e.unmapped = unmapped;
  return { ok: true, events: [withNames(e)] };
}
