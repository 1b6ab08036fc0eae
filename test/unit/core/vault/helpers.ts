import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CanonicalEvent } from '../../../../shared/domain/canonical-event';
import { AttestError } from '../../../../shared/result';
import type { Clock } from '../../../../electron/core/vault/clock';
import type { Db } from '../../../../electron/core/vault/database';
import { createMemoryKeyStore, type KeyStore } from '../../../../electron/core/vault/keystore';
import { VaultService, type VaultServiceOptions } from '../../../../electron/core/vault/vault-service';
import { readStoredEvents } from '../chain/stored-events';

/** Cheap scrypt for tests (the default N=2^17 is exercised once in its own test). */
export const TEST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };
export const PASS = 'correct horse battery';

/** A clock whose timers fire only when the test advances time. */
export class FakeClock implements Clock {
  private current = Date.UTC(2026, 0, 15, 9, 0, 0);
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = due[1].at;
      due[1].fn();
    }
    this.current = target;
  }
}

export function tempDir(prefix = 'attest-vault-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function makeVault(
  dir: string,
  overrides: Partial<VaultServiceOptions> = {},
): { vault: VaultService; clock: FakeClock; keyStore: KeyStore } {
  const clock = (overrides.clock as FakeClock | undefined) ?? new FakeClock();
  const keyStore = overrides.keyStore ?? createMemoryKeyStore();
  const vault = new VaultService({ dir, keyStore, operator: 'alice', clock, scryptCost: TEST_SCRYPT, ...overrides });
  return { vault, clock, keyStore };
}

/** The self-audit events in the vault, oldest first. */
export function auditEvents(db: Db): CanonicalEvent[] {
  const attest = db.prepare<[], { id: number }>("SELECT id FROM sources WHERE name = 'attest'").get()?.id;
  return readStoredEvents(db)
    .filter((e) => e.source_id === attest)
    .map((e) => JSON.parse(e.event) as CanonicalEvent);
}

export function operations(db: Db): string[] {
  return auditEvents(db).map((e) => `${e.api?.operation ?? '?'}:${e.status_id}`);
}

/** Awaits a promise that must reject with an AttestError of `code`; returns it. */
export async function expectAttestError(p: Promise<unknown> | (() => unknown), code: string): Promise<AttestError> {
  let caught: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof AttestError)) {
    throw new Error(`expected AttestError ${code}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  }
  if (caught.code !== code) throw new Error(`expected ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}

/** Every file of a vault directory (and extra files), for "nothing readable on disk" checks. */
export function filesOf(dir: string): string[] {
  return fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

export function fileContains(file: string, needle: string): boolean {
  return fs.readFileSync(file).includes(Buffer.from(needle, 'utf8'));
}
