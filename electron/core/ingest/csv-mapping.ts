/**
 * CSV columns → canonical fields. A mapping is { canonicalFieldPath: columnName }, saved per source by
 * the operator; suggestCsvMapping proposes one from common header names.
 */

import { CSV_TARGET_FIELDS, CSV_TARGET_PATHS, type CsvFieldKind } from '../../../shared/domain/csv-target-fields';

export { CSV_TARGET_FIELDS, CSV_TARGET_PATHS, type CsvFieldKind };

/** Fields a CSV row cannot become an event without. */
export const CSV_REQUIRED_FIELDS: readonly string[] = ['time'];

/**
 * Header names (lower-case, letters and digits only) each field is suggested for, most specific first.
 * Besides generic names, those of common exports: Entra ID sign-ins ("Date (UTC)", "Username", "IP address"),
 * Microsoft 365 audit search ("CreationDate", "UserId", "Operation", "ClientIP"), Google Workspace ("Date",
 * "User", "IP Address"), Okta System Log CSV ("published", "actor.alternateId", "client.ipAddress") and the AWS
 * console's CloudTrail event history ("Event time", "User name", "Source IP address").
 */
const SYNONYMS: Record<string, string[]> = {
  time: [
    'time', 'timestamp', 'eventtime', 'datetime', 'date', 'published', 'created', 'createdat', 'logtime', 'occurred', 'occurredat', 'ts', 'timegenerated', 'eventdate',
    'creationdate', 'creationtime', 'eventtimestamp', 'timecreated', 'datecreated', 'createddate', 'createdon', 'loggedat',
  ],
  class_uid: ['classuid', 'class'],
  activity_id: ['activityid', 'activity'],
  status_id: ['statusid', 'status', 'outcome', 'result', 'success', 'eventoutcome', 'outcomeresult', 'resultstatus'],
  status_detail: ['statusdetail', 'reason', 'failurereason', 'outcomereason', 'errormessage', 'error', 'errorcode', 'signinerrorcode'],
  severity_id: ['severityid', 'severity', 'level', 'loglevel', 'priority'],
  message: ['message', 'msg', 'description', 'details', 'detail', 'text', 'summary', 'displaymessage', 'eventdescription'],
  'actor.user.name': [
    'username', 'userprincipalname', 'user', 'actoralternateid', 'actorusername', 'actor', 'actordisplayname', 'login', 'account', 'principal', 'useremail', 'email', 'actoremail', 'emailaddress', 'subject', 'admin',
  ],
  'actor.user.uid': ['userid', 'userids', 'uid', 'actorid', 'actoruseruid', 'principalid'],
  'actor.user.type': ['usertype', 'actortype'],
  // After the name: an e-mail column is the name when there is no other, and the e-mail beside one.
  'actor.user.email_addr': ['email', 'useremail', 'actoremail', 'emailaddress', 'mail', 'actoralternateid', 'userprincipalname'],
  'src_endpoint.ip': [
    'sourceip', 'srcip', 'srcendpointip', 'clientip', 'ipaddress', 'ip', 'remoteip', 'sourceaddress', 'src', 'source', 'remoteaddr', 'clientaddress',
    'sourceipaddress', 'clientipaddress', 'callerip',
  ],
  'src_endpoint.port': ['sourceport', 'srcport', 'sport', 'clientport'],
  'src_endpoint.hostname': ['sourcehost', 'sourcehostname', 'srchost', 'clienthost', 'workstation'],
  'dst_endpoint.ip': ['destinationip', 'dstip', 'destip', 'serverip', 'dst'],
  'dst_endpoint.port': ['destinationport', 'dstport', 'dport', 'port'],
  'dst_endpoint.hostname': ['destinationhost', 'dsthost', 'host', 'hostname', 'server', 'computer', 'computername'],
  'api.operation': ['operation', 'operations', 'action', 'eventname', 'event', 'eventtype', 'apioperation', 'method'],
  'api.service.name': ['service', 'servicename', 'eventsource', 'application', 'app', 'workload'],
  'cloud.account.uid': ['accountid', 'cloudaccountuid', 'tenantid', 'tenant'],
  'cloud.account.name': ['accountname', 'tenantname'],
  'cloud.region': ['region', 'awsregion'],
  'cloud.provider': ['provider', 'cloudprovider'],
  'metadata.uid': ['eventid', 'uuid', 'id', 'recordid', 'requestid'],
  'metadata.product.name': ['product', 'productname'],
  'metadata.product.vendor_name': ['vendor', 'vendorname'],
};

/** User id columns that hold the person's login in some exports (Microsoft 365's "UserId" is the UPN). */
const USER_ID_AS_NAME = new Set(['userid', 'userids']);

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A time column's name without the zone it states: "Date (UTC)", "Date (UTC+00:00)", "time_utc" → "date", "time". */
function withoutZone(normalised: string): string {
  return normalised.replace(/(utc|gmt)\d{0,4}$/, '');
}

/** A mapping guessed from the header's names; each column is used at most once. */
export function suggestCsvMapping(header: string[]): Record<string, string> {
  const byName = new Map<string, string>();
  const byTimeName = new Map<string, string>();
  for (const col of header) {
    const n = normalise(col);
    if (n && !byName.has(n)) byName.set(n, col);
    const t = withoutZone(n);
    if (t && !byTimeName.has(t)) byTimeName.set(t, col);
  }
  const used = new Set<string>();
  const mapping: Record<string, string> = {};
  // Rank by synonym position so "username" beats "account" for the user, whatever the column order.
  for (const { path } of CSV_TARGET_FIELDS) {
    for (const syn of SYNONYMS[path] ?? []) {
      const col = byName.get(syn) ?? (path === 'time' ? byTimeName.get(syn) : undefined);
      if (col !== undefined && !used.has(col)) {
        mapping[path] = col;
        used.add(col);
        break;
      }
    }
  }
  // Events are found by their actor's name: with no name column, a user id column is the name.
  const uidColumn = mapping['actor.user.uid'];
  if (mapping['actor.user.name'] === undefined && uidColumn !== undefined && USER_ID_AS_NAME.has(normalise(uidColumn))) {
    mapping['actor.user.name'] = uidColumn;
    delete mapping['actor.user.uid'];
  }
  return mapping;
}

/** Required fields the mapping leaves without a column of this header. */
export function missingRequiredCsvFields(mapping: Record<string, string>, header: string[]): string[] {
  return CSV_REQUIRED_FIELDS.filter((f) => {
    const col = mapping[f];
    return col === undefined || !header.includes(col);
  });
}

/** Mapping entries that name an unknown field or a column this header does not have. */
export function invalidCsvMappingEntries(mapping: Record<string, string>, header: string[]): string[] {
  const problems: string[] = [];
  for (const [field, col] of Object.entries(mapping)) {
    if (!CSV_TARGET_PATHS.has(field)) problems.push(`"${field}" is not a field a CSV column can fill`);
    else if (!header.includes(col)) problems.push(`column "${col}" (for ${field}) is not in the header`);
  }
  return problems;
}
