import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { at, endpoint, obj, str, user, withNames } from '../fields';
import { isObject, parseJsonRecord, type JsonObject } from '../json-guard';
import { failed, type ParseContext, type ParseOutcome } from '../parse-types';
import { implausibleTime, parseIsoTime } from '../time';

/** Verb prefixes of AWS API names, to OCSF API Activity activity ids (1 Create, 2 Read, 3 Update, 4 Delete). */
const VERBS: Array<[RegExp, number]> = [
  [/^(Create|Add|Allocate|Import|Register|Run|Issue|Request|Copy|Generate|Upload|Publish|Send|Invoke)/, 1],
  [/^(Get|Describe|List|Lookup|Head|Search|Select|Query|Scan|Batch(Get|Describe)|Check|Validate|Preview|Download|Filter|View|Estimate|Test)/, 2],
  [/^(Update|Modify|Put|Set|Attach|Associate|Enable|Disable|Change|Reset|Replace|Tag|Untag|Start|Stop|Reboot|Restore|Apply|Accept|Reject|Authorize|Assign|Edit|Rotate|Renew|Cancel|Enter|Exit|Lock|Unlock)/, 3],
  [/^(Delete|Remove|Terminate|Detach|Disassociate|Deregister|Revoke|Release|Purge|Destroy|Unassign|Deactivate)/, 4],
];

export function apiActivityFromVerb(eventName: string): number {
  for (const [re, id] of VERBS) if (re.test(eventName)) return id;
  return 99;
}

/** One CloudTrail record, or a {"Records":[...]} object that reached the parser whole. */
export function parseCloudTrail(v: JsonObject, ctx: ParseContext): ParseOutcome {
  if (Array.isArray(v.Records)) {
    const events: CanonicalEvent[] = [];
    for (let i = 0; i < v.Records.length; i++) {
      const r = v.Records[i];
      if (!isObject(r)) return failed(`Records[${i}] is not an object`);
      const one = parseCloudTrail(r, ctx);
      if (!one.ok) return failed(`Records[${i}]: ${one.reason}`);
      events.push(...one.events);
    }
    return { ok: true, events };
  }
  // An EventBridge rule's delivery ("detail-type": "AWS API Call via CloudTrail"): the record is its detail.
  if (typeof v['detail-type'] === 'string' && isObject(v.detail) && v.eventName === undefined) return parseCloudTrail(v.detail, ctx);
  // An event of `aws cloudtrail lookup-events`: the record is the JSON string in CloudTrailEvent (the raw
  // bytes kept are the whole event, as received).
  if (typeof v.CloudTrailEvent === 'string' && v.eventName === undefined) {
    const inner = parseJsonRecord(v.CloudTrailEvent);
    if (!inner.ok) return failed(`CloudTrailEvent: ${inner.reason}`);
    if (!isObject(inner.value) || isObject(inner.value.detail) || typeof inner.value.CloudTrailEvent === 'string') {
      return failed('CloudTrailEvent does not hold a CloudTrail record');
    }
    return parseCloudTrail(inner.value, ctx);
  }
  const eventName = str(v.eventName);
  if (eventName === undefined) return failed('not a CloudTrail record: eventName is missing');
  if (typeof v.eventTime !== 'string') return failed('CloudTrail eventTime is missing or not a string');
  const parsed = parseIsoTime(v.eventTime);
  if (!parsed) return failed('CloudTrail eventTime is not an ISO 8601 time');
  const time = parsed.ms; // CloudTrail times are UTC even when the Z is missing
  const bad = implausibleTime(time, ctx.now);
  if (bad) return failed(bad);

  const errorCode = str(v.errorCode);
  const errorMessage = str(v.errorMessage);
  let classUid: number;
  let activityId: number;
  let statusId: number;
  if (eventName === 'ConsoleLogin') {
    classUid = 3002;
    activityId = 1;
    const outcome = str(at(v, 'responseElements', 'ConsoleLogin'));
    statusId = outcome === 'Success' ? 1 : outcome === 'Failure' || errorCode !== undefined || errorMessage !== undefined ? 2 : 0;
  } else {
    classUid = 6003;
    activityId = apiActivityFromVerb(eventName);
    // CloudTrail records failures in errorCode; no error means the call succeeded (OCSF's 1.5 mapping).
    statusId = errorCode !== undefined ? 2 : 1;
  }

  const identity = obj(v.userIdentity);
  let name = str(identity?.userName);
  // An assumed role (AWS SSO, federation, a CLI profile): the person is the role session's name, as the
  // CloudTrail console's "User name" shows it; the role is shared by everyone who assumes it.
  if (name === undefined && identity) name = roleSessionName(identity);
  if (name === undefined && identity) name = str(at(identity, 'sessionContext', 'sessionIssuer', 'userName'));
  // An AWS service acting on its own (userIdentity.type AWSService) has no principal: the service is the actor.
  if (name === undefined && identity) name = str(identity.invokedBy);
  const e: CanonicalEvent = {
    class_uid: classUid,
    activity_id: activityId,
    time,
    status_id: statusId,
    severity_id: 1,
    metadata: { product: { name: 'CloudTrail', vendor_name: 'AWS' }, version: '1.1.0' },
    api: { operation: eventName },
    cloud: { provider: 'AWS' },
  };
  const detail = errorMessage ?? errorCode;
  if (detail !== undefined) e.status_detail = detail;
  // principalId and the access key id as OCSF's uid_alt and credential_uid: the key id names the
  // credential used (never the secret), what a key-compromise search needs.
  const actor = user(name, str(identity?.arn) ?? str(identity?.principalId), str(identity?.type), {
    uid_alt: str(identity?.principalId),
    credential_uid: str(identity?.accessKeyId),
  });
  if (actor) e.actor = actor;
  const src = endpoint(str(v.sourceIPAddress));
  if (src) e.src_endpoint = src;
  const service = str(v.eventSource);
  if (service !== undefined) e.api!.service = { name: service };
  const account = str(v.recipientAccountId) ?? str(identity?.accountId);
  if (account !== undefined) e.cloud!.account = { uid: account };
  const region = str(v.awsRegion);
  if (region !== undefined) e.cloud!.region = region;
  const uid = str(v.eventID);
  if (uid !== undefined) e.metadata.uid = uid;
  if (Array.isArray(v.resources)) {
    e.resources = v.resources.slice(0, 100).filter(isObject).map((r) => {
      const res: { uid?: string; type?: string } = {};
      const arn = str(r.ARN);
      if (arn !== undefined) res.uid = arn;
      const type = str(r.type);
      if (type !== undefined) res.type = type;
      return res;
    });
  }
  const unmapped: Record<string, unknown> = {};
  for (const key of ['eventType', 'eventVersion', 'eventCategory', 'userAgent', 'requestID', 'errorCode', 'readOnly', 'managementEvent', 'vpcEndpointId'] as const) {
    const val = str(v[key]);
    if (val !== undefined) unmapped[key] = val;
  }
  const invokedBy = str(identity?.invokedBy);
  if (invokedBy !== undefined) unmapped.invokedBy = invokedBy;
  const role = identity ? str(at(identity, 'sessionContext', 'sessionIssuer', 'userName')) : undefined;
  if (role !== undefined && role !== name) unmapped.roleName = role;
  // A caller from another account: cloud.account is the account the call was made in (recipient).
  const callerAccount = str(identity?.accountId);
  if (callerAccount !== undefined && callerAccount !== account) unmapped.callerAccountId = callerAccount;
  const mfa = str(at(v, 'additionalEventData', 'MFAUsed'));
  if (mfa !== undefined) unmapped.MFAUsed = mfa;
  if (Object.keys(unmapped).length > 0) e.unmapped = unmapped;
  return { ok: true, events: [withNames(e)] };
}

/**
 * The session name of an assumed role: the last part of its ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/
 * SESSION), else what follows the colon of its principalId (ROLEID:SESSION); undefined for other identities.
 */
function roleSessionName(identity: Record<string, unknown>): string | undefined {
  if (str(identity.type) !== 'AssumedRole') return undefined;
  const arn = str(identity.arn);
  const m = arn === undefined ? null : /:assumed-role\/[^/]+\/(.+)$/.exec(arn);
  if (m?.[1]) return m[1];
  const principal = str(identity.principalId);
  const colon = principal === undefined ? -1 : principal.indexOf(':');
  return colon > 0 && colon < principal!.length - 1 ? principal!.slice(colon + 1) : undefined;
}
