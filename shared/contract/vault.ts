import { z } from 'zod';
import { channel } from './define';

export const UnlockMethodSchema = z.enum(['keychain', 'passphrase']);
export type UnlockMethod = z.infer<typeof UnlockMethodSchema>;

export const CipherSchema = z.enum(['aegis', 'sqlcipher']);
export type Cipher = z.infer<typeof CipherSchema>;

/** Passphrases: at least 8 characters; upper bound keeps scrypt input sane. */
export const PassphraseSchema = z.string().min(8, 'Use at least 8 characters.').max(1024);

export const VaultStatusSchema = z.object({
  /** Directory of the vault on this machine. */
  path: z.string(),
  exists: z.boolean(),
  locked: z.boolean(),
  vaultId: z.string().nullable(),
  cipher: CipherSchema.nullable(),
  methods: z.array(UnlockMethodSchema),
  /** ISO time the current database key was created (create or last rekey). */
  keyCreatedAt: z.string().nullable(),
  /** PRAGMA user_version of the open database; null while locked. */
  schemaVersion: z.number().int().nullable(),
  /** Schema version this build of Attest writes. */
  appSchemaVersion: z.number().int(),
  autoLockMinutes: z.number().int(),
  failedAttempts: z.number().int(),
  /** Milliseconds until another unlock attempt is allowed (0 when allowed now). */
  retryAfterMs: z.number().int(),
  /** Whether the OS keychain answered on this machine; null when not probed. */
  keychain: z
    .object({ available: z.boolean(), reason: z.string().nullable() })
    .nullable(),
});
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

const Empty = z.object({}).strict();
const Done = z.object({ done: z.literal(true) });

export const vaultChannels = {
  'vault:status': channel(z.object({ probeKeychain: z.boolean().optional() }).strict(), VaultStatusSchema, {
    whileLocked: true,
  }),
  'vault:create': channel(
    z
      .object({
        passphrase: PassphraseSchema.optional(),
        keychain: z.boolean().default(false),
        cipher: CipherSchema.optional(),
      })
      .strict()
      .refine((r) => r.keychain || r.passphrase !== undefined, 'Choose a passphrase, the OS keychain, or both.'),
    VaultStatusSchema,
    { whileLocked: true },
  ),
  'vault:unlock': channel(
    z.discriminatedUnion('method', [
      z.object({ method: z.literal('passphrase'), passphrase: z.string().min(1).max(1024) }).strict(),
      z.object({ method: z.literal('keychain') }).strict(),
    ]),
    VaultStatusSchema,
    { whileLocked: true },
  ),
  'vault:lock': channel(Empty, VaultStatusSchema, { whileLocked: true }),
  'vault:addMethod': channel(
    z.discriminatedUnion('method', [
      z.object({ method: z.literal('passphrase'), passphrase: PassphraseSchema }).strict(),
      z.object({ method: z.literal('keychain') }).strict(),
    ]),
    VaultStatusSchema,
  ),
  'vault:removeMethod': channel(z.object({ method: UnlockMethodSchema }).strict(), VaultStatusSchema),
  'vault:changePassphrase': channel(
    z.object({ current: z.string().min(1).max(1024), next: PassphraseSchema }).strict(),
    VaultStatusSchema,
  ),
  /** passphrase: needed only when the session was unlocked with the keychain and the vault also has a passphrase. */
  'vault:rekey': channel(z.object({ passphrase: z.string().min(1).max(1024).optional() }).strict(), VaultStatusSchema),
  'vault:setAutoLock': channel(z.object({ minutes: z.number().int().min(1).max(24 * 60) }).strict(), VaultStatusSchema),
  'vault:backup': channel(
    z.object({ outFile: z.string().min(1) }).strict(),
    z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
  ),
  /** Keeps the idle timer alive from the UI (any user activity). */
  'vault:touch': channel(Empty, Done),
};
