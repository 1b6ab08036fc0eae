import type { EventDetail, EventRow } from '../../../shared/contract';

export const T0 = Date.UTC(2026, 10, 20, 15, 0, 0);

export function eventRow(seq: number, patch: Partial<EventRow> = {}): EventRow {
  return {
    seq,
    time: T0 - (1000 - seq) * 60_000,
    classUid: 3002,
    activityId: 1,
    statusId: seq % 4 === 0 ? 2 : 1,
    severityId: 1,
    actor: `user-${seq}`,
    ip: `203.0.113.${seq % 250}`,
    operation: 'ConsoleLogin',
    source: 'aws-cloudtrail',
    batchId: 1,
    message: `message ${seq}`,
    ...patch,
  };
}

export function eventDetail(row: EventRow, rawText: string): EventDetail {
  return {
    row,
    event: {
      class_uid: row.classUid,
      activity_id: row.activityId,
      time: row.time,
      status_id: row.statusId,
      severity_id: row.severityId,
      ...(row.message === null ? {} : { message: row.message }),
      actor: { user: { ...(row.actor === null ? {} : { name: row.actor }) } },
      ...(row.ip === null ? {} : { src_endpoint: { ip: row.ip } }),
      ...(row.operation === null ? {} : { api: { operation: row.operation } }),
      metadata: { product: { name: 'CloudTrail', vendor_name: 'AWS' } },
    },
    rawBase64: btoa(unescape(encodeURIComponent(rawText))),
    rawText,
    hash: 'a'.repeat(64),
    fingerprint: 'b'.repeat(32),
  };
}

/** Strings an attacker can put in a log line, hoping the UI renders them as markup or a spreadsheet formula. */
export const HOSTILE = {
  img: '<img src=x onerror=alert(1)>',
  script: '<script>alert("pwned")</script>',
  formula: "=cmd|' /C calc'!A0",
  link: 'javascript:alert(1)',
} as const;
