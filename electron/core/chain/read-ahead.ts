/**
 * The rows of an ordered query, read one ahead so a walk can compare the next row with where it is. It is
 * closed on every exit, a failed first read included: while a statement is open its connection is busy,
 * and the app's connection must be left usable whatever verify met.
 */
export class ReadAhead<T> {
  /** The row not yet consumed, or null once the query is done or closed. */
  current: T | null = null;

  constructor(private readonly rows: IterableIterator<T>) {
    try {
      this.advance();
    } catch (err) {
      this.close();
      throw err;
    }
  }

  advance(): void {
    const r = this.rows.next();
    this.current = r.done ? null : r.value;
  }

  close(): void {
    this.rows.return?.();
    this.current = null;
  }
}
