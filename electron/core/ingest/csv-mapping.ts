/**
 * CSV columns → canonical fields. A mapping is { canonicalFieldPath: columnName }, saved per source by
 * the operator; suggestCsvMapping proposes one from common header names.
 */

export type CsvFieldKind = 'time' | 'class' | 'activity' | 'status' | 'severity' | 'int' | 'port' | 'address' | 'string';

/** Canonical field paths a CSV mapping may target, with how their cells are read. */
export const CSV_TARGET_FIELDS: ReadonlyArray<{ path: string; kind: CsvFieldKind; label: string }> = [
  { path: 'time', kind: 'time', label: 'Event time' },
  { path: 'class_uid', kind: 'class', label: 'OCSF class (id or name)' },
  { path: 'activity_id', kind: 'activity', label: 'Activity (id or name)' },
  { path: 'status_id', kind: 'status', label: 'Outcome (success / failure)' },
  { path: 'status_detail', kind: 'string', label: 'Outcome detail' },
  { path: 'severity_id', kind: 'severity', label: 'Severity' },
  { path: 'message', kind: 'string', label: 'Message' },
  { path: 'actor.user.name', kind: 'string', label: 'User name' },
  { path: 'actor.user.uid', kind: 'string', label: 'User id' },
  { path: 'actor.user.type', kind: 'string', label: 'User type' },
  { path: 'src_endpoint.ip', kind: 'address', label: 'Source IP' },
  { path: 'src_endpoint.port', kind: 'port', label: 'Source port' },
  { path: 'src_endpoint.hostname', kind: 'string', label: 'Source host' },
  { path: 'dst_endpoint.ip', kind: 'address', label: 'Destination IP' },
  { path: 'dst_endpoint.port', kind: 'port', label: 'Destination port' },
  { path: 'dst_endpoint.hostname', kind: 'string', label: 'Destination host' },
  { path: 'api.operation', kind: 'string', label: 'Operation / action' },
  { path: 'api.service.name', kind: 'string', label: 'Service' },
  { path: 'cloud.account.uid', kind: 'string', label: 'Account id' },
  { path: 'cloud.account.name', kind: 'string', label: 'Account name' },
  { path: 'cloud.region', kind: 'string', label: 'Region' },
  { path: 'cloud.provider', kind: 'string', label: 'Cloud provider' },
  { path: 'metadata.uid', kind: 'string', label: 'Event id' },
  { path: 'metadata.product.name', kind: 'string', label: 'Product' },
  { path: 'metadata.product.vendor_name', kind: 'string', label: 'Vendor' },
];

export const CSV_TARGET_PATHS: ReadonlySet<string> = new Set(CSV_TARGET_FIELDS.map((f) => f.path));

/** Fields a CSV row cannot become an event without. */
export const CSV_REQUIRED_FIELDS: readonly string[] = ['time'];

/** Header names (lower-case, letters and digits only) each field is suggested for, most specific first. */
const SYNONYMS: Record<string, string[]> = {
  time: ['time', 'timestamp', 'eventtime', 'datetime', 'date', 'published', 'created', 'createdat', 'logtime', 'occurred', 'occurredat', 'ts', 'timegenerated', 'eventdate'],
  class_uid: ['classuid', 'class'],
  activity_id: ['activityid', 'activity'],
  status_id: ['statusid', 'status', 'outcome', 'result', 'success', 'eventoutcome'],
  status_detail: ['statusdetail', 'reason', 'failurereason', 'errormessage', 'error'],
  severity_id: ['severityid', 'severity', 'level', 'loglevel', 'priority'],
  message: ['message', 'msg', 'description', 'details', 'detail', 'text', 'summary'],
  'actor.user.name': ['username', 'user', 'actorusername', 'actor', 'login', 'account', 'principal', 'useremail', 'email', 'subject'],
  'actor.user.uid': ['userid', 'uid', 'actorid', 'actoruseruid', 'principalid'],
  'actor.user.type': ['usertype', 'actortype'],
  'src_endpoint.ip': ['sourceip', 'srcip', 'srcendpointip', 'clientip', 'ipaddress', 'ip', 'remoteip', 'sourceaddress', 'src', 'source', 'remoteaddr', 'clientaddress'],
  'src_endpoint.port': ['sourceport', 'srcport', 'sport', 'clientport'],
  'src_endpoint.hostname': ['sourcehost', 'sourcehostname', 'srchost', 'clienthost', 'workstation'],
  'dst_endpoint.ip': ['destinationip', 'dstip', 'destip', 'serverip', 'dst'],
  'dst_endpoint.port': ['destinationport', 'dstport', 'dport', 'port'],
  'dst_endpoint.hostname': ['destinationhost', 'dsthost', 'host', 'hostname', 'server', 'computer', 'computername'],
  'api.operation': ['operation', 'action', 'eventname', 'event', 'eventtype', 'apioperation', 'method'],
  'api.service.name': ['service', 'servicename', 'eventsource', 'application', 'app'],
  'cloud.account.uid': ['accountid', 'cloudaccountuid', 'tenantid', 'tenant'],
  'cloud.account.name': ['accountname', 'tenantname'],
  'cloud.region': ['region', 'awsregion'],
  'cloud.provider': ['provider', 'cloudprovider'],
  'metadata.uid': ['eventid', 'uuid', 'id', 'recordid'],
  'metadata.product.name': ['product', 'productname'],
  'metadata.product.vendor_name': ['vendor', 'vendorname'],
};

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A mapping guessed from the header's names; each column is used at most once. */
export function suggestCsvMapping(header: string[]): Record<string, string> {
  const byName = new Map<string, string>();
  for (const col of header) {
    const n = normalise(col);
    if (n && !byName.has(n)) byName.set(n, col);
  }
  const used = new Set<string>();
  const mapping: Record<string, string> = {};
  // Rank by synonym position so "username" beats "account" for the user, whatever the column order.
  for (const { path } of CSV_TARGET_FIELDS) {
    for (const syn of SYNONYMS[path] ?? []) {
      const col = byName.get(syn);
      if (col !== undefined && !used.has(col)) {
        mapping[path] = col;
        used.add(col);
        break;
      }
    }
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
