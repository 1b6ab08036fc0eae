import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../../../electron/core/ingest/detect';
import { parseRawRecord, parseRecord } from '../../../../electron/core/ingest/parse-record';
import { openInput } from '../../../../electron/core/ingest/read-records';
import type { RawRecord } from '../../../../electron/core/ingest/record';
import { NOW, tempDir } from './helpers';

const ENVELOPE = join(__dirname, '../../../fixtures/ingest-detect/event-hook-envelope.json');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

type Json = Record<string, unknown>;
const delivery = (): Json => JSON.parse(readFileSync(ENVELOPE, 'utf8')) as Json;
const eventsOf = (o: Json): Json[] => (o.data as { events: Json[] }).events;

describe('Okta event hook deliveries', () => {
  it('are detected as Okta and their data.events read as System Log events (real sample)', async () => {
    expect(detectFormat(readFileSync(ENVELOPE))).toBe('okta');
    const input = await openInput(ENVELOPE, {});
    expect([input.format, input.jsonLayout]).toEqual(['okta', 'document']);
    const recs: RawRecord[] = [];
    for await (const r of input.records) recs.push(r);
    expect(recs).toHaveLength(1);
    const out = parseRawRecord('okta', recs[0]!, { now: NOW });
    expect(out.ok && out.events.map((e) => [e.class_uid, e.status_id, e.actor?.user?.uid, e.src_endpoint?.ip, new Date(e.time).toISOString()])).toEqual([
      [3002, 1, '00uttidj01jqL21aM1d6', '10.0.0.1', '2024-08-13T15:58:20.353Z'],
    ]);
  });

  it('yield one event per element, in JSON Lines too; one bad element quarantines the delivery with its index', () => {
    const d = delivery();
    const [first] = eventsOf(d);
    const second = { ...first, uuid: 'second', published: '2024-08-13T16:00:00.000Z' };
    (d.data as { events: Json[] }).events = [first!, second];
    const line = JSON.stringify(d);
    expect(detectFormat(Buffer.from(`${line}\n${line}\n`))).toBe('okta');
    const out = parseRecord('okta', Buffer.from(line), { now: NOW });
    expect(out.ok && out.events.map((e) => e.metadata.uid)).toEqual([first!.uuid, 'second']);

    (d.data as { events: unknown[] }).events = [first!, { eventType: 'user.session.start' }];
    const bad = parseRecord('okta', Buffer.from(JSON.stringify(d)), { now: NOW });
    expect(bad.ok ? 'imported' : bad.reason).toBe('data.events[1] of the Okta event hook delivery: Okta published time is missing or not a string');
    (d.data as { events: unknown[] }).events = [42];
    expect(parseRecord('okta', Buffer.from(JSON.stringify(d)), { now: NOW })).toEqual({ ok: false, reason: 'data.events[0] of the Okta event hook delivery is not an object' });
    // A delivery nested in a delivery is not unwrapped again.
    (d.data as { events: unknown[] }).events = [delivery()];
    expect(parseRecord('okta', Buffer.from(JSON.stringify(d)), { now: NOW })).toMatchObject({ ok: false, reason: 'data.events[0] is itself an event hook delivery' });
    expect(parseRecord('okta', Buffer.from('{"eventType":"com.okta.event_hook","data":{}}'), { now: NOW })).toMatchObject({ ok: false, reason: 'an Okta event hook delivery without data.events' });
  });

  it('is read from a file of several deliveries, pretty-printed', async () => {
    const text = `${JSON.stringify(delivery(), null, 2)}\n${JSON.stringify(delivery(), null, 2)}\n`;
    const input = await openInput(tmp.file('hooks.json', text), {});
    const recs: RawRecord[] = [];
    for await (const r of input.records) recs.push(r);
    expect(recs.map((r) => parseRawRecord('okta', r, { now: NOW }).ok)).toEqual([true, true]);
  });
});
