import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Fingerprinter, OccurrenceCounter, fingerprintHex, trimEol } from '../../../../../electron/core/ingest/fingerprint';

function reference(source: string, raw: string, occurrence: number, eventIndex: number, part?: number): bigint {
  const tail = Buffer.alloc(part === undefined ? 8 : 12);
  tail.writeUInt32BE(occurrence, 0);
  tail.writeUInt32BE(eventIndex, 4);
  if (part !== undefined) tail.writeUInt32BE(part, 8);
  const d = createHash('sha256').update(source).update(Buffer.from([0])).update(raw.replace(/[\r\n]+$/, '')).update(tail).digest();
  return d.readBigInt64BE(0);
}

describe('fingerprint', () => {
  it('is the first 64 bits of SHA-256(source 0x00 raw-without-EOL occurrence eventIndex)', () => {
    const f = new Fingerprinter('okta');
    expect(f.compute(Buffer.from('{"a":1}\r\n'), 0, 0)).toBe(reference('okta', '{"a":1}', 0, 0));
    expect(f.compute(Buffer.from('{"a":1}'), 3, 2)).toBe(reference('okta', '{"a":1}', 3, 2));
    expect(f.compute(Buffer.from('jws'), 1, 2, 5)).toBe(reference('okta', 'jws', 1, 2, 5));
    expect(new Fingerprinter('other').compute(Buffer.from('{"a":1}'), 0, 0)).not.toBe(f.compute(Buffer.from('{"a":1}'), 0, 0));
  });

  it('counts identical records: each copy gets the next occurrence index', () => {
    const f = new Fingerprinter('s');
    const a = Buffer.from('line a');
    const fps = [f.next(a), f.next(Buffer.from('line b')), f.next(a), f.next(Buffer.from('line a\n'))];
    expect(fps[0]).toBe(reference('s', 'line a', 0, 0));
    expect(fps[2]).toBe(reference('s', 'line a', 1, 0));
    expect(fps[3]).toBe(reference('s', 'line a', 2, 0));
    expect(f.lastOccurrence).toBe(2);
    expect(new Set(fps).size).toBe(4);
  });

  it('forgets across at most two generations (the documented bound)', () => {
    const f = new Fingerprinter('s', 2);
    const a = Buffer.from('a');
    f.next(a);
    f.next(Buffer.from('b'));
    f.next(Buffer.from('c')); // rotates: {a,b} become the previous generation
    f.next(a); // still remembered from the previous generation
    expect(f.lastOccurrence).toBe(1);
    for (const x of ['d', 'e', 'f', 'g']) f.next(Buffer.from(x));
    f.next(a);
    expect(f.lastOccurrence).toBe(0);
  });

  it('counts occurrences exactly as two generations of Maps would, over long random runs', () => {
    // The reference: the documented bound written with Maps (the fingerprinter keeps typed arrays).
    const reference = (generation: number) => {
      let current = new Map<string, number>();
      let previous = new Map<string, number>();
      return (key: string): number => {
        let seen = current.get(key);
        if (seen === undefined) {
          seen = previous.get(key);
          if (seen !== undefined) previous.delete(key);
        }
        if (current.size >= generation) {
          previous = current;
          current = new Map();
        }
        current.set(key, (seen ?? 0) + 1);
        return seen ?? 0;
      };
    };
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    for (const generation of [1, 2, 3, 50]) {
      const f = new Fingerprinter('s', generation);
      const ref = reference(generation);
      for (let i = 0; i < 5000; i++) {
        // Few distinct lines, many repeats, some far apart: rotations with keys in both generations.
        const line = `line ${Math.floor(Math.pow(random(), 2) * generation * 3)}`;
        f.next(Buffer.from(line));
        expect(f.lastOccurrence).toBe(ref(line));
      }
    }
  });

  it('OccurrenceCounter agrees with the fingerprinter', () => {
    const c = new OccurrenceCounter();
    expect([c.next(Buffer.from('x')), c.next(Buffer.from('y')), c.next(Buffer.from('x\r\n'))]).toEqual([0, 0, 1]);
  });

  it('helpers', () => {
    expect(trimEol(Buffer.from('a\r\n\n')).toString()).toBe('a');
    expect(fingerprintHex(-1n)).toBe('ffffffffffffffff');
    expect(fingerprintHex(1n)).toBe('0000000000000001');
  });
});
