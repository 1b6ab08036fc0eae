import { RecordAccumulator, type RawRecord } from '../record';
import { isBlank, LF, type Splitter } from './splitter';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // saw `"` inside a quoted field: either the closing quote or half of `""`

/**
 * Splits CSV into rows (RFC 4180): a newline inside a quoted field does not end the row. A quote only
 * opens a quoted field at the start of a field, so `5" screen` in an unquoted field stays literal.
 * An unclosed quote cannot swallow the rest of the file: once the row passes the size cap it ends
 * at the next newline.
 */
export class CsvSplitter implements Splitter {
  private readonly acc = new RecordAccumulator();
  private line = 1;
  private recordLine = 1;
  private state = FIELD_START;
  private readonly delimiter: number;

  /** `terminator`: the byte that ends a row outside quotes (CR for a file with bare-CR lines, endsLinesWithCr). */
  constructor(delimiter = ',', private readonly terminator: number = LF) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(chunk: Buffer, out: RawRecord[]): void {
    let start = 0;
    const d = this.delimiter;
    const terminator = this.terminator;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === terminator) {
        this.line++;
        if (this.state !== QUOTED || this.acc.isOversize) {
          this.emit(this.acc.take(this.recordLine, chunk.subarray(start, i)), out);
          start = i + 1;
          this.recordLine = this.line;
          this.state = FIELD_START;
          continue;
        }
      }
      switch (this.state) {
        case FIELD_START:
          if (b === 0x22) this.state = QUOTED;
          else if (b !== d) this.state = UNQUOTED;
          break;
        case UNQUOTED:
          if (b === d) this.state = FIELD_START;
          break;
        case QUOTED:
          if (b === 0x22) this.state = QUOTE_IN_QUOTED;
          break;
        case QUOTE_IN_QUOTED:
          if (b === 0x22) this.state = QUOTED;
          else if (b === d) this.state = FIELD_START;
          else this.state = UNQUOTED; // junk after a closing quote: keep it literal
          break;
      }
    }
    if (start < chunk.length) this.acc.add(chunk.subarray(start));
  }

  end(out: RawRecord[]): void {
    if (this.acc.size === 0) return;
    const unclosed = this.state === QUOTED;
    const record = this.acc.take(this.recordLine);
    if (unclosed && !record.error) record.error = 'a quoted CSV field is not closed before the end of the file';
    this.emit(record, out);
  }

  private emit(record: RawRecord, out: RawRecord[]): void {
    const raw = record.raw;
    if (record.error === undefined && raw.length > 0 && raw[raw.length - 1] === 0x0d) record.raw = raw.subarray(0, raw.length - 1);
    if (record.error === undefined && isBlank(record.raw)) return;
    out.push(record);
  }
}
