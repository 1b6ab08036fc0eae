import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { endpoint, isIpAddress, port, str, user, withNames } from '../fields';
import { isObject, type JsonObject } from '../json-guard';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime, parseIsoTime } from '../time';

/** An ECS field by dotted path, nested ({"event":{"action":..}}) or flat ({"event.action":..}) or mixed. */
export function ecsField(doc: JsonObject, path: string): unknown {
  if (Object.hasOwn(doc, path)) return doc[path];
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  // Try each split point so {"event": {"action": ..}} and {"source": {"geo.name": ..}} both resolve.
  let i = dot;
  while (i !== -1) {
    const head = doc[path.slice(0, i)];
    if (isObject(head)) {
      const found = ecsField(head, path.slice(i + 1));
      if (found !== undefined) return found;
    }
    i = path.indexOf('.', i + 1);
  }
  return undefined;
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v.toLowerCase()];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
  return [];
}

const LOG_LEVELS: Record<string, number> = {
  emergency: 6, emerg: 6, fatal: 6, alert: 5, critical: 5, crit: 5, error: 4, err: 4, warning: 3, warn: 3, notice: 2, info: 1, informational: 1, debug: 1, trace: 1,
};

function classify(categories: string[], types: string[], action: string): [number, number] {
  const has = (t: string): boolean => types.includes(t);
  if (categories.includes('authentication') || categories.includes('session')) {
    const logoff = has('end') || /log(?:ged)?[ _-]?(?:off|out)|sign[ _-]?out/.test(action);
    return [3002, logoff ? 2 : 1];
  }
  if (categories.includes('iam')) {
    if (has('creation')) return [3001, 1];
    if (has('deletion')) return [3001, 6];
    return [3001, 99];
  }
  if (categories.includes('file')) {
    if (has('creation')) return [1001, 1];
    if (has('access')) return [1001, 2];
    if (has('change')) return [1001, 3];
    if (has('deletion')) return [1001, 4];
    return [1001, 99];
  }
  if (categories.includes('network')) return [4001, has('start') ? 1 : has('end') ? 2 : 99];
  if (categories.includes('web')) return [4002, 99];
  return [0, 99];
}

/** One Elastic Common Schema document. */
export function parseEcs(doc: JsonObject, ctx: ParseContext): ParseOutcome {
  const ts = ecsField(doc, '@timestamp');
  let time: number;
  if (typeof ts === 'string') {
    const parsed = parseIsoTime(ts);
    if (!parsed) return failed('ECS @timestamp is not an ISO 8601 time');
    time = parsed.ms;
  } else if (typeof ts === 'number' && Number.isFinite(ts)) {
    time = Math.trunc(ts);
  } else if (ts === undefined) {
    return failed('ECS document has no @timestamp');
  } else {
    return failed('ECS @timestamp must be a string or a number');
  }
  const bad = implausibleTime(time, ctx.now);
  if (bad) return failed(bad);

  const action = str(ecsField(doc, 'event.action')) ?? '';
  const [classUid, activityId] = classify(list(ecsField(doc, 'event.category')), list(ecsField(doc, 'event.type')), action.toLowerCase());
  const outcome = str(ecsField(doc, 'event.outcome'))?.toLowerCase();
  const level = str(ecsField(doc, 'log.level'))?.toLowerCase();
  const e: CanonicalEvent = {
    class_uid: classUid,
    activity_id: activityId,
    time,
    status_id: outcome === 'success' ? 1 : outcome === 'failure' ? 2 : 0,
    severity_id: (level && LOG_LEVELS[level]) || 0,
    metadata: {
      product: {
        name: str(ecsField(doc, 'observer.product')) ?? str(ecsField(doc, 'event.module')) ?? str(ecsField(doc, 'agent.type')) ?? 'ECS',
      },
    },
  };
  const vendor = str(ecsField(doc, 'observer.vendor'));
  if (vendor !== undefined) e.metadata.product.vendor_name = vendor;
  const version = str(ecsField(doc, 'ecs.version'));
  if (version !== undefined) e.metadata.version = `ecs ${version}`;
  const id = str(ecsField(doc, 'event.id'));
  if (id !== undefined) e.metadata.uid = id;
  const message = str(ecsField(doc, 'message')) ?? (action || undefined);
  if (message !== undefined) e.message = message;
  const reason = str(ecsField(doc, 'event.reason'));
  if (reason !== undefined) e.status_detail = reason;
  const u = user(str(ecsField(doc, 'user.name')), str(ecsField(doc, 'user.id')), undefined, { email_addr: str(ecsField(doc, 'user.email')) });
  if (u) e.actor = u;
  // source.address is the raw address as seen, an IP or a name: a host name only when it is not an IP.
  const address = str(ecsField(doc, 'source.address'));
  const srcIp = str(ecsField(doc, 'source.ip')) ?? str(ecsField(doc, 'client.ip')) ?? (address !== undefined && isIpAddress(address) ? address : undefined);
  const srcHost = str(ecsField(doc, 'source.domain')) ?? (address !== undefined && !isIpAddress(address) ? address : undefined);
  const src = endpoint(srcIp, port(ecsField(doc, 'source.port')), srcHost);
  if (src) e.src_endpoint = src;
  const dstIp = str(ecsField(doc, 'destination.ip')) ?? str(ecsField(doc, 'server.ip'));
  const dst = endpoint(dstIp, port(ecsField(doc, 'destination.port')), str(ecsField(doc, 'destination.domain')) ?? str(ecsField(doc, 'host.name')));
  if (dst) e.dst_endpoint = dst;
  if (action) e.api = { operation: action };
  const accountId = str(ecsField(doc, 'cloud.account.id'));
  const region = str(ecsField(doc, 'cloud.region'));
  const provider = str(ecsField(doc, 'cloud.provider'));
  if (accountId !== undefined || region !== undefined || provider !== undefined) {
    e.cloud = {};
    if (accountId !== undefined) e.cloud.account = { uid: accountId };
    if (region !== undefined) e.cloud.region = region;
    if (provider !== undefined) e.cloud.provider = provider;
  }
  const unmapped: Record<string, unknown> = {};
  for (const key of ['event.dataset', 'event.kind', 'event.category', 'event.type', 'host.name', 'user_agent.original']) {
    const val = ecsField(doc, key);
    if (typeof val === 'string' || (Array.isArray(val) && val.every((x) => typeof x === 'string'))) unmapped[key] = val;
  }
  if (srcIp !== undefined && !isIpAddress(srcIp)) unmapped['source.ip'] = srcIp;
  if (Object.keys(unmapped).length > 0) e.unmapped = unmapped;
  return { ok: true, events: [withNames(e)] };
}
