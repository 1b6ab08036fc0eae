import { describe, expect, it } from 'vitest';
import { arrayElementRanges } from '../../../../electron/core/ingest/json-element-ranges';

const slices = (text: string | Buffer, path: string[]): string[] | null => {
  const b = typeof text === 'string' ? Buffer.from(text) : text;
  const r = arrayElementRanges(b, path);
  return r === null ? null : r.map(([s, e]) => b.subarray(s, e).toString('utf8'));
};

describe('arrayElementRanges', () => {
  it('gives each element of the array at a path exactly as written', () => {
    expect(slices('{"Records": [ {"a":1} ,{"b":[1,{"c":"]}"}]},\n"x", 12, null ]}', ['Records'])).toEqual(['{"a":1}', '{"b":[1,{"c":"]}"}]}', '"x"', '12', 'null']);
    expect(slices('{"eventType":"com.okta.event_hook","data":{"events":[{"uuid":"1"},{"uuid":"2"}]}}', ['data', 'events'])).toEqual(['{"uuid":"1"}', '{"uuid":"2"}']);
    expect(slices('{"Records":[]}', ['Records'])).toEqual([]);
  });

  it('reads strings with escaped quotes and brackets, UTF-8 and a BOM, byte for byte', () => {
    const text = '\ufeff{"k\\"ey":"[{","Records":[{"m":"é \\" ] }","n":"日本"},{"z":"\\\\"}]}';
    const b = Buffer.from(text);
    const r = arrayElementRanges(b, ['Records'])!;
    expect(r.map(([s, e]) => b.subarray(s, e).toString())).toEqual(['{"m":"é \\" ] }","n":"日本"}', '{"z":"\\\\"}']);
    expect(JSON.parse(b.subarray(r[0]![0], r[0]![1]).toString())).toEqual({ m: 'é " ] }', n: '日本' });
  });

  it('takes the last of duplicate keys, as JSON.parse does, and an escaped key by its value', () => {
    expect(slices('{"Records":[1],"Records":[2,3]}', ['Records'])).toEqual(['2', '3']);
    expect(slices('{"Rec\\u006frds":[4]}', ['Records'])).toEqual(['4']);
  });

  it('is null where the path leads to no array', () => {
    expect(slices('{"Records":{}}', ['Records'])).toBeNull();
    expect(slices('{"other":[1]}', ['Records'])).toBeNull();
    expect(slices('[1,2]', ['Records'])).toBeNull();
    expect(slices('{"Records":[1,2', ['Records'])).toBeNull();
  });
});
