/**
 * The canonical fields a CSV column may fill, with how their cells are read: one list for the engine
 * (electron/core/ingest/csv-mapping.ts) and the Settings editor. A mapping is { fieldPath: columnName }.
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
  { path: 'actor.user.email_addr', kind: 'string', label: 'User e-mail' },
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
