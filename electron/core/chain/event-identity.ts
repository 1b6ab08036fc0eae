/**
 * The actor name/uid/e-mail and source IP of a stored event JSON, read from its UTF-8 bytes without parsing the
 * whole document: verification needs just these four values for the first event of every dictionary
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
  email: string | null;
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

/** The member names the scan looks for; every other key is OTHER. */
const OTHER = 0;
const KEYS: ReadonlyArray<[string, number]> = [['actor', 1], ['user', 2], ['name', 3], ['uid', 4], ['src_endpoint', 5], ['ip', 6], ['email_addr', 7]];
const [ACTOR, USER, NAME, UID, SRC_ENDPOINT, IP, EMAIL] = [1, 2, 3, 4, 5, 6, 7];
const KEY_BYTES = KEYS.map(([k, id]) => [Buffer.from(k, 'latin1'), id] as const);
const KEY_IDS = new Map(KEYS);

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

  /** Where the last string token started (its opening quote) and whether it held escapes (stringToken). */
  tokenStart = 0;
  tokenEscaped = false;

  /**
   * At a quote: consumes one string token, leaving [tokenStart, p) as the whole token (quotes included)
   * and tokenEscaped set. Fields rather than a result object: verify scans ~100,000 events per thread.
   */
  stringToken(): void {
    if (this.peek() !== QUOTE) throw new Malformed();
    const b = this.b;
    const end = this.end;
    this.tokenStart = this.p;
    let escaped = false;
    let q = this.p + 1;
    for (;;) {
      if (q >= end) throw new Malformed();
      const c = b[q]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        q += 2;
      } else q++;
    }
    this.p = q + 1;
    this.tokenEscaped = escaped;
  }

  string(): string {
    this.stringToken();
    if (!this.tokenEscaped) return this.b.toString('utf8', this.tokenStart + 1, this.p - 1);
    return JSON.parse(this.b.toString('utf8', this.tokenStart, this.p)) as string;
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

  /** A member name as one of the KEYS ids, compared byte by byte here (no string per key of every event;
   * a Buffer.compare per candidate key cost more than the rest of the scan). */
  key(): number {
    this.stringToken();
    const start = this.tokenStart + 1;
    const length = this.p - 1 - start;
    if (this.tokenEscaped) return KEY_IDS.get(JSON.parse(this.b.toString('utf8', start - 1, this.p)) as string) ?? OTHER;
    const b = this.b;
    candidates: for (let k = 0; k < KEY_BYTES.length; k++) {
      const bytes = KEY_BYTES[k]![0];
      if (bytes.length !== length) continue;
      for (let i = 0; i < length; i++) if (b[start + i] !== bytes[i]) continue candidates;
      return KEY_BYTES[k]![1];
    }
    return OTHER;
  }

  /** Walks an object's members, calling onMember with each key positioned at its value (which it must consume). */
  object(onMember: (key: number) => void): void {
    this.expect(LBRACE);
    if (this.peek() === RBRACE) {
      this.p++;
      return;
    }
    for (;;) {
      const key = this.key();
      this.expect(COLON);
      onMember(key);
      const c = this.peek();
      this.p++;
      if (c === RBRACE) return;
      if (c !== COMMA) throw new Malformed();
    }
  }

  /** Like object() when the value is an object; any other value is skipped and false returned. */
  objectOrSkip(onMember: (key: number) => void): boolean {
    if (this.peek() !== LBRACE) {
      this.skipValue();
      return false;
    }
    this.object(onMember);
    return true;
  }
}

const NONE: EventIdentity = { name: null, uid: null, ip: null, email: null };

export function eventIdentity(b: Buffer, start: number, end: number): EventIdentity {
  const s = new Scanner(b, start, end);
  const out: EventIdentity = { name: null, uid: null, ip: null, email: null };
  try {
    s.object((key) => {
      if (key === ACTOR) {
        out.name = null;
        out.uid = null;
        out.email = null;
        s.objectOrSkip((k) => {
          if (k !== USER) return s.skipValue();
          out.name = null;
          out.uid = null;
          out.email = null;
          s.objectOrSkip((u) => {
            if (u === NAME) out.name = s.stringOrSkip();
            else if (u === UID) out.uid = s.stringOrSkip();
            else if (u === EMAIL) out.email = s.stringOrSkip();
            else s.skipValue();
          });
        });
      } else if (key === SRC_ENDPOINT) {
        out.ip = null;
        s.objectOrSkip((k) => {
          if (k === IP) out.ip = s.stringOrSkip();
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
