/**
 * The actor name/uid and source IP of a stored event JSON, read from its UTF-8 bytes without parsing the
 * whole document: verification needs just these three values for the first event of every dictionary
 * id (a hundred thousand events in a million), and JSON.parse of each whole event cost more than hashing
 * the chain. This is a real structural scan of JSON, not a pattern match: it walks the top-level object's
 * members, skips every other value (strings with escapes, nested objects and arrays), and descends only
 * into "actor" -> "user" and "src_endpoint". Like JSON.parse, the last of duplicate keys wins.
 * Anything that is not well-formed where it is read yields null for the values, as JSON.parse failing did.
 */
export interface EventIdentity {
  /** Each is the string value when it is a string, else null (numbers and objects do not name anyone). */
  name: string | null;
  uid: string | null;
  ip: string | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

class Malformed extends Error {}

class Scanner {
  constructor(
    private readonly b: Buffer,
    public p: number,
    private readonly end: number,
  ) {}

  ws(): void {
    while (this.p < this.end) {
      const c = this.b[this.p];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.p++;
    }
  }

  peek(): number {
    this.ws();
    if (this.p >= this.end) throw new Malformed();
    return this.b[this.p]!;
  }

  expect(c: number): void {
    if (this.peek() !== c) throw new Malformed();
    this.p++;
  }

  /** At a quote: returns [start, end) of the whole token (quotes included) and whether it has escapes. */
  stringToken(): { start: number; end: number; escaped: boolean } {
    if (this.peek() !== QUOTE) throw new Malformed();
    const start = this.p;
    let escaped = false;
    let q = this.p + 1;
    for (;;) {
      if (q >= this.end) throw new Malformed();
      const c = this.b[q]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        q += 2;
      } else q++;
    }
    this.p = q + 1;
    return { start, end: q + 1, escaped };
  }

  string(): string {
    const t = this.stringToken();
    if (!t.escaped) return this.b.toString('utf8', t.start + 1, t.end - 1);
    return JSON.parse(this.b.toString('utf8', t.start, t.end)) as string;
  }

  /** Skips one value of any kind. */
  skipValue(): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.stringToken();
      return;
    }
    if (c === LBRACE || c === LBRACKET) {
      let depth = 0;
      while (this.p < this.end) {
        const d = this.b[this.p]!;
        if (d === QUOTE) {
          this.stringToken();
          continue;
        }
        if (d === LBRACE || d === LBRACKET) depth++;
        else if (d === RBRACE || d === RBRACKET) {
          depth--;
          if (depth === 0) {
            this.p++;
            return;
          }
        }
        this.p++;
      }
      throw new Malformed();
    }
    // A number, true, false or null: up to the next delimiter.
    while (this.p < this.end) {
      const d = this.b[this.p]!;
      if (d === COMMA || d === RBRACE || d === RBRACKET || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d) return;
      this.p++;
    }
  }

  /** A string value, or null after skipping a value of another kind. */
  stringOrSkip(): string | null {
    if (this.peek() === QUOTE) return this.string();
    this.skipValue();
    return null;
  }

  /** Walks an object's members, calling onMember with each key positioned at its value (which it must consume). */
  object(onMember: (key: string) => void): void {
    this.expect(LBRACE);
    if (this.peek() === RBRACE) {
      this.p++;
      return;
    }
    for (;;) {
      const key = this.string();
      this.expect(COLON);
      onMember(key);
      const c = this.peek();
      this.p++;
      if (c === RBRACE) return;
      if (c !== COMMA) throw new Malformed();
    }
  }

  /** Like object() when the value is an object; any other value is skipped and false returned. */
  objectOrSkip(onMember: (key: string) => void): boolean {
    if (this.peek() !== LBRACE) {
      this.skipValue();
      return false;
    }
    this.object(onMember);
    return true;
  }
}

const NONE: EventIdentity = { name: null, uid: null, ip: null };

export function eventIdentity(b: Buffer, start: number, end: number): EventIdentity {
  const s = new Scanner(b, start, end);
  const out: EventIdentity = { name: null, uid: null, ip: null };
  try {
    s.object((key) => {
      if (key === 'actor') {
        out.name = null;
        out.uid = null;
        s.objectOrSkip((k) => {
          if (k !== 'user') return s.skipValue();
          out.name = null;
          out.uid = null;
          s.objectOrSkip((u) => {
            if (u === 'name') out.name = s.stringOrSkip();
            else if (u === 'uid') out.uid = s.stringOrSkip();
            else s.skipValue();
          });
        });
      } else if (key === 'src_endpoint') {
        out.ip = null;
        s.objectOrSkip((k) => {
          if (k === 'ip') out.ip = s.stringOrSkip();
          else s.skipValue();
        });
      } else s.skipValue();
    });
    s.ws();
    if (s.p !== end) return NONE;
  } catch (err) {
    if (err instanceof Malformed || err instanceof SyntaxError) return NONE;
    throw err;
  }
  return out;
}
