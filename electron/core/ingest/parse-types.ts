import type { CanonicalEvent } from '../../../shared/domain/canonical-event';

export interface ParseContext {
  /** Year for timestamps that carry none (RFC 3164, CEF "MMM dd HH:mm:ss"); default: the current year. */
  syslogYear?: number;
  /** Zone for timestamps that carry none: 'UTC' | '+02:00' | IANA name; default UTC. */
  syslogZone?: string;
  /** Where syslogYear / syslogZone came from: the source's settings (default) or this import's options. */
  syslogYearFrom?: 'settings' | 'option';
  syslogZoneFrom?: 'settings' | 'option';
  csvMapping?: Record<string, string> | null;
  csvHeader?: string[];
  /** CSV field delimiter found in the header (default ','). */
  csvDelimiter?: string;
  /** Current time, ms: the plausibility window and the default year are relative to it. */
  now: number;
}

export type ParseOutcome = { ok: true; events: CanonicalEvent[]; notes?: string[] } | { ok: false; reason: string };

export function failed(reason: string): ParseOutcome {
  return { ok: false, reason };
}
