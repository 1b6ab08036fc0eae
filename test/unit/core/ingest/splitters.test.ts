import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, OVERSIZE_KEPT_BYTES } from '../../../../electron/core/ingest/record';
import { CsvSplitter } from '../../../../electron/core/ingest/split/csv-splitter';
import { JsonDocumentSplitter } from '../../../../electron/core/ingest/split/json-splitter';
import { LineSplitter } from '../../../../electron/core/ingest/split/line-splitter';
import { CR, endsLinesWithCr } from '../../../../electron/core/ingest/split/splitter';
import { collect, texts } from './helpers';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('LineSplitter', () => {
  it('splits on LF, strips CR, skips blank lines but keeps line numbers', async () => {
    const recs = await collect(b('a\r\nb\n\n  \nc'), new LineSplitter());
    expect(texts(recs)).toEqual(['a', 'b', 'c']);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('splits on a bare CR when told to (classic Mac OS line endings), with line numbers', async () => {
    for (const size of [1, 1024]) {
      const recs = await collect(b('a\rb\r\r  \rc'), new LineSplitter(CR), size);
      expect(texts(recs)).toEqual(['a', 'b', 'c']);
      expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
    }
  });

  it('reads bare-CR lines only in a sample with no LF at all (a stray CR inside an LF line stays data)', () => {
    expect(endsLinesWithCr(b('a\rb\r'))).toBe(true);
    expect(endsLinesWithCr(b('a\r\nb\r\n'))).toBe(false);
    expect(endsLinesWithCr(b('a\rstill a\nb\n'))).toBe(false);
    expect(endsLinesWithCr(b('one line, no terminator'))).toBe(false);
  });

  it('strips a BOM at the start only, even when it arrives one byte at a time', async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b('x\n\uFEFFy\n')]);
    for (const size of [1, 2, 1024]) {
      expect(texts(await collect(data, new LineSplitter(), size))).toEqual(['x', '\uFEFFy']);
    }
  });

  it('handles a file without a trailing newline and 1-byte chunks', async () => {
    const data = b('first line\nsecond "quoted\\" line"\nlast');
    expect(texts(await collect(data, new LineSplitter(), 1))).toEqual(['first line', 'second "quoted\\" line"', 'last']);
  });

  it('reports a line over 16 MiB as oversized, keeping its first 1 MiB and its length', async () => {
    const big = Buffer.alloc(MAX_RECORD_BYTES + 10, 0x61);
    const data = Buffer.concat([b('before\n'), big, b('\nafter\n')]);
    const recs = await collect(data, new LineSplitter(), 1 << 20);
    expect(recs).toHaveLength(3);
    expect(recs[1]!.error).toMatch(/16,777,226 bytes, over the 16 MiB limit; only its first 1 MiB is kept/);
    expect(recs[1]!.raw.length).toBe(OVERSIZE_KEPT_BYTES);
    expect(recs[1]!.byteLength).toBe(MAX_RECORD_BYTES + 10);
    expect(recs[1]!.line).toBe(2);
    expect(texts([recs[2]!])).toEqual(['after']);
    expect(recs[2]!.line).toBe(3);
  });
});

describe('JsonDocumentSplitter', () => {
  const arrayDoc = '[\n  {"a": 1, "s": "x]}\\"{["},\n  {"b": [1, 2, {"c": "}"}]}\n]\n';

  it('yields each element of a top-level array with its exact bytes and start line', async () => {
    const recs = await collect(b(arrayDoc), new JsonDocumentSplitter());
    expect(texts(recs)).toEqual(['{"a": 1, "s": "x]}\\"{["}', '{"b": [1, 2, {"c": "}"}]}']);
    expect(recs.map((r) => r.line)).toEqual([2, 3]);
  });

  it('cuts identically when fed one byte at a time (boundaries inside strings and escapes)', async () => {
    const doc = `{"Records": [{"k": "a\\\\\\"b", "u": "\\u00e9\\n"},\r\n{"k": "é ünïcödé ]"}]}`;
    const whole = await collect(b(doc), new JsonDocumentSplitter());
    const bytewise = await collect(b(doc), new JsonDocumentSplitter(), 1);
    expect(texts(bytewise)).toEqual(texts(whole));
    expect(texts(whole)).toEqual(['{"k": "a\\\\\\"b", "u": "\\u00e9\\n"}', '{"k": "é ünïcödé ]"}']);
    for (const r of whole) expect(() => JSON.parse(r.raw.toString('utf8'))).not.toThrow();
  });

  it('splits {"Records":[...]} (CloudTrail) and ignores the other keys of the container', async () => {
    const doc = '{"Records":[\n{"eventName":"A"},\n{"eventName":"B"}\n], "digest": {"x": [1]}}';
    const s = new JsonDocumentSplitter();
    const recs = await collect(b(doc), s);
    expect(texts(recs)).toEqual(['{"eventName":"A"}', '{"eventName":"B"}']);
    expect(recs.map((r) => r.line)).toEqual([2, 3]);
    expect(s.sawContainer).toBe(true);
  });

  it('numbers the elements of each array from 1 (a one-line Records file said "line 1" for all), in any chunking', async () => {
    const doc = '{"Records":[{"eventName":"A"},{"eventName":"B"},"x",{"eventName":"D"}]}\n[{"a":1},{"b":2}]\n{"c":3}\n{"Records":[{"e":5}]}';
    for (const size of [1, 7, 1 << 20]) {
      const recs = await collect(b(doc), new JsonDocumentSplitter(), size);
      expect(recs.map((r) => [r.line, r.element])).toEqual([[1, 1], [1, 2], [1, 3], [1, 4], [2, 1], [2, 2], [3, undefined], [4, 1]]);
    }
    const junk = await collect(b('[{"a":1}]\ngarbage\n'), new JsonDocumentSplitter());
    expect(junk.map((r) => r.element)).toEqual([1, undefined]);
  });

  it('keeps a pretty-printed single object as one record', async () => {
    const doc = '{\n\t"eventName": "X",\n\t"data": "not an array",\n\t"resources": [{"ARN": "a"}]\n}\n';
    const recs = await collect(b(doc), new JsonDocumentSplitter(), 3);
    expect(texts(recs)).toEqual([doc.trim()]);
    expect(recs[0]!.line).toBe(1);
  });

  it('does not treat an array of scalars under a container key as records', async () => {
    const doc = '{"events": [1, 2], "class_uid": 3002}';
    expect(texts(await collect(b(doc), new JsonDocumentSplitter()))).toEqual([doc]);
  });

  it('handles concatenated objects (JSON Lines read as a document), CRLF and scalars in arrays', async () => {
    const recs = await collect(b('{"a":1}\r\n{"b":2}\r\n[3, "four", null]'), new JsonDocumentSplitter());
    expect(texts(recs)).toEqual(['{"a":1}', '{"b":2}', '3', '"four"', 'null']);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 3, 3]);
  });

  it('reports an unterminated value and stray text instead of swallowing them silently', async () => {
    const recs = await collect(b('garbage here\n{"a": [1, 2'), new JsonDocumentSplitter());
    expect(recs).toHaveLength(2);
    expect(recs[0]!.error).toMatch(/not JSON/);
    expect(texts([recs[0]!])).toEqual(['garbage here']);
    expect(recs[1]!.error).toMatch(/not terminated/);
    expect(recs[1]!.line).toBe(2);
  });

  it('copes with 10,000-deep nesting without recursion', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const recs = await collect(b(deep), new JsonDocumentSplitter());
    expect(recs).toHaveLength(1);
    expect(recs[0]!.raw.length).toBe(19_998);
  });
});

describe('CsvSplitter', () => {
  it('keeps newlines inside quoted fields, strips CR, also with 1-byte chunks', async () => {
    const data = b('h1,h2\r\n"multi\nline","say ""hi"""\r\nplain,5" screen\n');
    for (const size of [1, 7, 1 << 20]) {
      const recs = await collect(data, new CsvSplitter(), size);
      expect(texts(recs)).toEqual(['h1,h2', '"multi\nline","say ""hi"""', 'plain,5" screen']);
      expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
    }
  });

  it('ends rows at a bare CR when told to, keeping a CR inside a quoted field', async () => {
    const recs = await collect(b('a,b\r1,"x\ry"\r2,z\r'), new CsvSplitter(',', CR), 3);
    expect(texts(recs)).toEqual(['a,b', '1,"x\ry"', '2,z']);
  });

  it('reports an unclosed quote at the end of the file', async () => {
    const recs = await collect(b('a,b\n"open,x\n'), new CsvSplitter());
    expect(recs[1]!.error).toMatch(/not closed/);
  });
});
