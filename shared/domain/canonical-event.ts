import { z } from 'zod';

/**
 * Attest's canonical event: a subset of OCSF 1.x that carries the meaning monitoring, retention,
 * requests and reports need. Every string here came from a hostile source: render as text only.
 */
export const CanonicalEventSchema = z.object({
  class_uid: z.number().int(),
  class_name: z.string().optional(),
  activity_id: z.number().int(),
  activity_name: z.string().optional(),
  /** Event time, ms since the Unix epoch (UTC). */
  time: z.number().int(),
  status_id: z.number().int(), // 0 unknown, 1 success, 2 failure, 99 other (OCSF)
  status: z.string().optional(),
  status_detail: z.string().optional(),
  severity_id: z.number().int(),
  message: z.string().optional(),
  /** How many occurrences this one record stands for (syslog's "message repeated N times"); absent = 1. */
  count: z.number().int().positive().optional(),
  actor: z
    .object({
      user: z
        .object({
          name: z.string().optional(),
          uid: z.string().optional(),
          type: z.string().optional(),
          /** The user's e-mail address or e-mail-form login (Okta alternateId, ECS user.email). */
          email_addr: z.string().optional(),
          /** Another id of the same user (CloudTrail principalId). */
          uid_alt: z.string().optional(),
          /** The credential used, never a secret (CloudTrail accessKeyId). */
          credential_uid: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  src_endpoint: z.object({ ip: z.string().optional(), port: z.number().int().optional(), hostname: z.string().optional() }).optional(),
  dst_endpoint: z.object({ ip: z.string().optional(), port: z.number().int().optional(), hostname: z.string().optional() }).optional(),
  api: z.object({ operation: z.string().optional(), service: z.object({ name: z.string().optional() }).optional() }).optional(),
  resources: z.array(z.object({ name: z.string().optional(), type: z.string().optional(), uid: z.string().optional() })).optional(),
  metadata: z.object({
    product: z.object({ name: z.string().optional(), vendor_name: z.string().optional() }),
    version: z.string().optional(),
    uid: z.string().optional(),
  }),
  cloud: z.object({ account: z.object({ uid: z.string().optional(), name: z.string().optional() }).optional(), region: z.string().optional(), provider: z.string().optional() }).optional(),
  /** Anything else the source carried that maps to no field above, kept for display. */
  unmapped: z.record(z.string(), z.unknown()).optional(),
});
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>;

/** OCSF status ids. */
export const STATUS = { unknown: 0, success: 1, failure: 2, other: 99 } as const;

/** OCSF class ids Attest knows by name. */
export const OCSF_CLASS_NAMES: Record<number, string> = {
  // What a source's record that names no class becomes (CSV rows without a class column, CEF, some Okta events).
  0: 'Base Event',
  1001: 'File System Activity',
  3001: 'Account Change',
  3002: 'Authentication',
  3003: 'Authorize Session',
  3004: 'Entity Management',
  3005: 'User Access Management',
  3006: 'Group Management',
  4001: 'Network Activity',
  4002: 'HTTP Activity',
  6001: 'Web Resources Activity',
  6002: 'Application Lifecycle',
  6003: 'API Activity',
  6005: 'Datastore Activity',
};
