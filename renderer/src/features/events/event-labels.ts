import { OCSF_CLASS_NAMES } from '../../../../shared/domain/canonical-event';
import type { IngestFormat } from '../../../../shared/contract';

export type Outcome = 'success' | 'failure' | 'other' | 'unknown';

/** OCSF status_id to the outcome the UI colours by. */
export function outcomeOf(statusId: number): Outcome {
  if (statusId === 1) return 'success';
  if (statusId === 2) return 'failure';
  if (statusId === 0) return 'unknown';
  return 'other';
}

export const OUTCOME_LABELS: Record<Outcome, string> = { success: 'Success', failure: 'Failure', other: 'Other', unknown: 'Unknown' };

/** The outcome filter's choices, as OCSF status ids. */
export const OUTCOME_FILTERS = [
  { statusId: 1, label: 'Success' },
  { statusId: 2, label: 'Failure' },
  { statusId: 99, label: 'Other' },
  { statusId: 0, label: 'Unknown' },
] as const;

export function className(classUid: number): string {
  return OCSF_CLASS_NAMES[classUid] ?? `Class ${classUid}`;
}

const SEVERITIES: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other' };
export const severityName = (id: number): string => SEVERITIES[id] ?? `Severity ${id}`;

/** Long hostile strings: cap what goes into a tooltip so a 1 MB field cannot stall layout. */
export function titleText(value: string | null | undefined, max = 400): string | undefined {
  if (!value) return undefined;
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** Formats as the import picker names them. */
export const FORMAT_LABELS: Record<IngestFormat, string> = {
  ocsf: 'OCSF JSON',
  cloudtrail: 'AWS CloudTrail',
  okta: 'Okta System Log',
  ecs: 'Elastic Common Schema',
  cef: 'CEF',
  syslog: 'Syslog',
  csv: 'CSV',
};

/** A stored format id ("cloudtrail") as the picker names it; an unknown id as it is. */
export function formatLabel(format: string): string {
  return (FORMAT_LABELS as Record<string, string>)[format] ?? format;
}
