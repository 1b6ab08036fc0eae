import type { Channel, ParsedRequestOf, ResponseOf, VaultStatus } from '../../../shared/contract';
import { AttestError } from '../../../shared/result';
import type { Transport } from '../../../renderer/src/api';

/** A handler answers one channel; throwing AttestError produces `{ ok: false, error }` like the real registry. */
export type Handlers = { [C in Channel]?: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

export interface FakeTransport {
  transport: Transport;
  calls: Array<{ channel: string; payload: unknown }>;
  /** Delivers a raw push to every subscriber. */
  push(message: unknown): void;
  callsTo(channel: Channel): unknown[];
}

/** `stageFile` replaces the instant upload (e.g. one that waits, to test cancelling it). */
export function createFakeTransport(handlers: Handlers, opts: { stageFile?: Transport['stageFile'] } = {}): FakeTransport {
  const calls: FakeTransport['calls'] = [];
  const listeners = new Set<(push: unknown) => void>();
  const transport: Transport = {
    kind: 'web',
    async invoke(channel, payload) {
      calls.push({ channel, payload });
      const handler = (handlers as Record<string, ((p: unknown) => unknown) | undefined>)[channel];
      if (!handler) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No fake for ${channel}.` } };
      try {
        return { ok: true, value: await handler(payload) };
      } catch (err) {
        if (err instanceof AttestError) {
          return { ok: false, error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
        }
        throw err;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stageFile(file, onProgress, signal) {
      if (opts.stageFile) return opts.stageFile(file, onProgress, signal);
      onProgress(file.size, file.size);
      return `/uploads/${file.name}`;
    },
  };
  return {
    transport,
    calls,
    push: (message) => {
      for (const l of [...listeners]) l(message);
    },
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.payload),
  };
}

export function vaultStatus(patch: Partial<VaultStatus> = {}): VaultStatus {
  return {
    path: '/home/officer/.local/share/attest/vault',
    exists: true,
    locked: true,
    vaultId: '7f3c2a91-5b1e-4d8a-9c0e-2e6f81d4b7a3',
    cipher: 'sqlcipher',
    methods: ['passphrase'],
    keyCreatedAt: '2026-10-10T15:00:00.000Z',
    schemaVersion: null,
    appSchemaVersion: 3,
    autoLockMinutes: 15,
    failedAttempts: 0,
    retryAfterMs: 0,
    keychain: { available: true, reason: null },
    ...patch,
  };
}
