import { z } from 'zod';
import { channel } from './define';
import { CanonicalEventSchema } from '../domain/canonical-event';

export const IngestFormatSchema = z.enum(['ocsf', 'cloudtrail', 'okta', 'ecs', 'cef', 'syslog', 'csv']);
export type IngestFormat = z.infer<typeof IngestFormatSchema>;

/** Filters shared by the CLI (`attest events`), the Events explorer and the web host. */
export const EventFilterSchema = z
  .object({
    since: z.number().int().optional(), // ms, inclusive
    until: z.number().int().optional(), // ms, exclusive
    classUid: z.number().int().optional(),
    statusId: z.number().int().optional(),
    actor: z.string().max(512).optional(), // exact user name, uid or e-mail
    ip: z.string().max(64).optional(),
    source: z.string().max(128).optional(),
    batchId: z.number().int().optional(),
    /** Leave out Attest's own audit events (vault unlocks, imports, retries), as the Overview does. */
    hideOwn: z.boolean().optional(),
  })
  .strict();
export type EventFilter = z.infer<typeof EventFilterSchema>;

/** The log's order: latest recorded first (the default), or oldest recorded first. */
export const EventOrderSchema = z.enum(['newest', 'oldest']);
export type EventOrder = z.infer<typeof EventOrderSchema>;

/** One row of the explorer's table: just what the columns show. */
export const EventRowSchema = z.object({
  seq: z.number().int(),
  time: z.number().int(),
  classUid: z.number().int(),
  activityId: z.number().int(),
  statusId: z.number().int(),
  severityId: z.number().int(),
  actor: z.string().nullable(),
  ip: z.string().nullable(),
  operation: z.string().nullable(),
  source: z.string(),
  batchId: z.number().int().nullable(),
  message: z.string().nullable(),
});
export type EventRow = z.infer<typeof EventRowSchema>;

/** How an event's JWS signature was checked at import: algorithm, key id and issuer, as far as known. */
export const EventSignatureSchema = z.object({ alg: z.string().nullable(), kid: z.string().nullable(), issuer: z.string().nullable() });
export type EventSignature = z.infer<typeof EventSignatureSchema>;

export const EventDetailSchema = z.object({
  row: EventRowSchema,
  event: CanonicalEventSchema,
  /** The record exactly as received, as base64 (bytes may not be UTF-8). */
  rawBase64: z.string(),
  /** UTF-8 decoding of raw with invalid sequences replaced, for display. */
  rawText: z.string(),
  hash: z.string(),
  fingerprint: z.string(),
  /**
   * Set when the event came from a signed batch (one JWS holding several records): raw is then its own
   * record, and the JWS, kept once in the vault, is named by its SHA-256 (hex) with the record's index.
   */
  signedBatch: z
    .object({ jwsSha256: z.string(), recordIndex: z.number().int(), records: z.number().int().nullable(), jwsBytes: z.number().int().nullable() })
    .optional(),
  /** Set when the event came from a signed file: its signature verified at import (event-signature.ts). */
  signature: EventSignatureSchema.optional(),
});
export type EventDetail = z.infer<typeof EventDetailSchema>;

export const IngestSummarySchema = z.object({
  file: z.string(),
  sha256: z.string(),
  format: IngestFormatSchema.nullable(),
  bytes: z.number().int(),
  read: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  batchId: z.number().int().nullable(),
  cancelled: z.boolean(),
  /** Set when the file could not be read or recognised. */
  error: z.string().nullable(),
  /** What the parsers assumed or repaired (the year and zone given to RFC 3164 times, replaced bytes...). */
  notes: z.array(z.string()).optional(),
  /**
   * How many of `duplicates` are records already in quarantine from an earlier import (they are not in the
   * event log): present when there are any.
   */
  alreadyQuarantined: z.number().int().optional(),
  /** A CSV file refused for its mapping: the source whose CSV mapping (Settings › Sources) would read it. */
  csvMappingSource: z.string().optional(),
});
export type IngestSummary = z.infer<typeof IngestSummarySchema>;

/**
 * The time given to a record that carries none (else it is quarantined): 'import', the time its file was
 * imported (for a retry: the original import's), or a time in ms chosen by the operator.
 */
/** Ends the quarantine reason of a record with no time of its own: the app offers that retry when it sees it. */
export const NO_TIME_HINT = 'a retry can give it the time its file was imported';

export const TimeIfMissingSchema = z.union([z.literal('import'), z.number().int().min(0).max(253402300799999)]);

export const IngestProgressSchema = z.object({
  jobId: z.string(),
  file: z.string(),
  fileIndex: z.number().int(),
  fileCount: z.number().int(),
  bytesRead: z.number().int(),
  bytesTotal: z.number().int(),
  events: z.number().int(),
  eventsPerSec: z.number(),
  etaMs: z.number().int().nullable(),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Passes before the import (nothing is imported yet): checking, over a gzip's every member; scanning,
   * over a syslog file for the years of its dates. */
  phase: z.enum(['checking', 'scanning', 'importing']).optional(),
});
export type IngestProgress = z.infer<typeof IngestProgressSchema>;

export const QuarantineRowSchema = z.object({
  id: z.number().int(),
  batchId: z.number().int(),
  file: z.string(),
  line: z.number().int(),
  /** Its 1-based place in the array of a JSON document it was cut from ({"Records":[…]}), or null (a line of its own). */
  element: z.number().int().nullable(),
  reason: z.string(),
  rawText: z.string(),
  rawBase64: z.string(),
  status: z.enum(['open', 'resolved']),
  /** A record of a signed batch: the SHA-256 (hex) of the JWS it came in, kept once (attest signed-batch export). */
  signedBatchSha256: z.string().optional(),
});
export type QuarantineRow = z.infer<typeof QuarantineRowSchema>;

/** What happened to an import: 'interrupted' was left running by a process that died mid-import. */
export const BatchStateSchema = z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted', 'refused']);
export type BatchState = z.infer<typeof BatchStateSchema>;

export const BatchSchema = z.object({
  id: z.number().int(),
  file: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  format: z.string(),
  source: z.string(),
  operator: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  state: BatchStateSchema,
  read: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  /** Sequence numbers of the first and last event this batch added (null: it added none). */
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  /** The options the import ran with (format, source, syslog year and zone, CSV header and mapping,
   * signing), each as a name and its JSON value: what was assumed, for the record. */
  settings: z.array(z.object({ name: z.string(), value: z.string() })),
  /** What was assumed or noticed while reading (a guessed year, bare-CR lines, an identical earlier file). */
  notes: z.array(z.string()),
  /** The earlier batch whose file was byte for byte this one (then nothing was read again). */
  identicalTo: z.number().int().nullable(),
  /** Why a refused or failed import stopped, in the words the operator saw. */
  error: z.string().nullable(),
});
export type Batch = z.infer<typeof BatchSchema>;

export const OverviewSchema = z.object({
  total: z.number().int(),
  bucketMs: z.number().int(),
  series: z.array(z.object({ t: z.number().int(), success: z.number().int(), failure: z.number().int(), other: z.number().int() })),
  topFailingActors: z.array(z.object({ key: z.string(), count: z.number().int() })),
  topFailingIps: z.array(z.object({ key: z.string(), count: z.number().int() })),
  /** Attest's own audit events (vault unlocks, imports, retries) in the period: kept out of the figures above. */
  ownEvents: z.number().int().optional(),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const SourceSchema = z.object({
  name: z.string().min(1).max(128),
  signedOnly: z.boolean(),
  hasJwks: z.boolean(),
  jwksKeyIds: z.array(z.string()),
  issuer: z.string().nullable(),
  csvMapping: z.record(z.string(), z.string()).nullable(),
  syslogYear: z.number().int().nullable(),
  syslogZone: z.string().nullable(), // e.g. "UTC", "+02:00", "Europe/Berlin"
});
export type Source = z.infer<typeof SourceSchema>;

export const VerifyReportSchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  checkpoints: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  ms: z.number().int(),
  /** What was checked: 'full' adds the search index (postings), the Overview's counts and the import
   * history to 'chain' (hashes, checkpoints, block index, actor/IP dictionary, dedup keys). */
  scope: z.enum(['full', 'chain']),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

/**
 * When a filter found nothing: stored values close to the actor, IP or source it named (equal but for
 * letter case, or containing it), since those filters match the whole value exactly.
 */
export const NearMatchesSchema = z.object({
  actor: z.array(z.string()).optional(),
  ip: z.array(z.string()).optional(),
  source: z.array(z.string()).optional(),
  /** The source named does not exist: the sources there are. */
  sources: z.array(z.string()).optional(),
});
export type NearMatches = z.infer<typeof NearMatchesSchema>;

export const eventChannels = {
  'events:query': channel(
    z
      .object({
        filter: EventFilterSchema.default({}),
        order: EventOrderSchema.default('newest'),
        /** Keyset cursor of newest first: return events with seq below this. */
        beforeSeq: z.number().int().optional(),
        /** Keyset cursor of oldest first: return events with seq above this. */
        afterSeq: z.number().int().optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({
      rows: z.array(EventRowSchema),
      /** The cursor for the next page: one of them is set while more may follow, in the order asked for. */
      nextBeforeSeq: z.number().int().nullable(),
      nextAfterSeq: z.number().int().nullable(),
    }),
  ),
  'events:count': channel(
    z.object({ filter: EventFilterSchema.default({}) }).strict(),
    z.object({ count: z.number().int(), nearMatches: NearMatchesSchema.optional() }),
  ),
  'events:get': channel(z.object({ seq: z.number().int() }).strict(), EventDetailSchema),
  'events:overview': channel(
    z.object({ since: z.number().int().optional(), until: z.number().int().optional() }).strict(),
    OverviewSchema,
  ),
  'ingest:start': channel(
    z
      .object({
        /** Paths on the vault's machine (Electron file picker/drop, CLI) or upload ids from the web host. */
        files: z.array(z.object({ path: z.string().min(1), name: z.string().optional() })).min(1),
        format: IngestFormatSchema.optional(),
        source: z.string().min(1).max(128).optional(),
        /** Year and zone for timestamps without them (RFC 3164), for this import: over the source's settings. */
        syslogYear: z.number().int().min(1970).max(9999).optional(),
        syslogZone: z.string().min(1).max(64).optional(),
        timeIfMissing: TimeIfMissingSchema.optional(),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  'ingest:cancel': channel(z.object({ jobId: z.string() }).strict(), z.object({ cancelled: z.boolean() })),
  'ingest:result': channel(
    z.object({ jobId: z.string() }).strict(),
    z.object({ state: z.enum(['running', 'done', 'cancelled', 'failed']), summaries: z.array(IngestSummarySchema) }),
  ),
  'batches:list': channel(
    z.object({ limit: z.number().int().min(1).max(1000).default(100), beforeId: z.number().int().min(1).optional() }).strict(),
    z.object({ rows: z.array(BatchSchema), total: z.number().int() }),
  ),
  'quarantine:list': channel(
    z.object({ batchId: z.number().int().optional(), limit: z.number().int().min(1).max(5000).default(200), afterId: z.number().int().optional() }).strict(),
    z.object({ rows: z.array(QuarantineRowSchema), total: z.number().int() }),
  ),
  'quarantine:retry': channel(
    z.object({ batchId: z.number().int().optional(), timeIfMissing: TimeIfMissingSchema.optional() }).strict(),
    z.object({ retried: z.number().int(), imported: z.number().int(), duplicates: z.number().int(), stillQuarantined: z.number().int() }),
  ),
  'sources:list': channel(z.object({}).strict(), z.array(SourceSchema)),
  'sources:save': channel(
    z
      .object({
        name: z.string().min(1).max(128),
        signedOnly: z.boolean().optional(),
        jwksJson: z.string().max(1_000_000).optional(),
        issuer: z.string().max(512).nullable().optional(),
        csvMapping: z.record(z.string(), z.string()).nullable().optional(),
        syslogYear: z.number().int().min(1970).max(2200).nullable().optional(),
        syslogZone: z.string().max(64).nullable().optional(),
      })
      .strict(),
    SourceSchema,
  ),
  'chain:verify': channel(z.object({}).strict(), VerifyReportSchema),
};
