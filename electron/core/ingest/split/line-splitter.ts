import { RecordAccumulator, type RawRecord } from '../record';
import { isBlank, LF, type Splitter } from './splitter';

/**
 * Splits on \n (JSON Lines, syslog, CEF), or on \r for a file whose lines end with a bare CR
 * (endsLinesWithCr). A trailing \r is stripped; blank lines are skipped but counted, so line numbers
 * match what an editor shows.
 */
export class LineSplitter implements Splitter {
  private readonly pending = new RecordAccumulator();
  private line = 1;

  constructor(private readonly terminator: number = LF) {}

  push(chunk: Buffer, out: RawRecord[]): void {
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      const nl = chunk.indexOf(this.terminator, pos);
      if (nl === -1) {
        this.pending.add(chunk.subarray(pos));
        return;
      }
      this.emit(this.pending.take(this.line, chunk.subarray(pos, nl)), out);
      this.line++;
      pos = nl + 1;
    }
  }

  end(out: RawRecord[]): void {
    if (this.pending.size > 0) this.emit(this.pending.take(this.line), out);
  }

  private emit(record: RawRecord, out: RawRecord[]): void {
    let raw = record.raw;
    if (record.error === undefined && raw.length > 0 && raw[raw.length - 1] === 0x0d) {
      raw = raw.subarray(0, raw.length - 1);
      record.raw = raw;
    }
    if (record.error === undefined && (raw.length === 0 || ((raw[0] === 0x20 || raw[0] === 0x09) && isBlank(raw)))) return;
    out.push(record);
  }
}
