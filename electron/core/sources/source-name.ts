import { AttestError } from '../../../shared/result';
import { SELF_AUDIT_SOURCE } from '../chain/self-audit';

/**
 * Characters that change how a name displays without being seen, or show as nothing or as a space:
 * controls, format characters (bidi, zero-width, tags), line separators, every space but U+0020,
 * combining grapheme joiner and variation selectors, and the blank "letters" (Hangul fillers, U+2800).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\u{e0000}-\u{e0fff}]/u;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/** Cyrillic and Greek letters that look like Latin ones: a name written in them can pass for a Latin one. */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ѕ: 's', і: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  α: 'a', β: 'b', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'm', ν: 'v', ο: 'o', ρ: 'p', σ: 's', ς: 's', τ: 't', υ: 'u', χ: 'x',
};

/** The name reduced to what it looks like: compatibility forms folded, marks dropped, look-alikes as Latin. */
function skeleton(name: string): string {
  return Array.from(name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase())
    .map((c) => LOOK_ALIKES[c] ?? c)
    .join('');
}

/**
 * A source name as stored (Unicode NFKC: "école" typed either way, or "ﬁrewall" with a ligature, is one
 * name), after refusing a name an operator could not tell apart from another: empty or over 128
 * characters, with invisible or blank characters (the name is also NUL-terminated inside every
 * fingerprint), a space at either end, Latin letters mixed with Cyrillic or Greek ones — and anything
 * that looks like Attest's own audit source. Events recorded under that name must be Attest's own: an
 * import under it would pass for the vault's record of its unlocks, locks and imports.
 */
export function sourceNameOf(input: string): string {
  const name = input.normalize('NFKC');
  if (name.length === 0 || name.length > 128) throw new AttestError('BAD_REQUEST', 'A source name has 1 to 128 characters.');
  if (INVISIBLE.test(name)) {
    throw new AttestError('BAD_REQUEST', 'A source name cannot contain control, direction, zero-width or blank characters, or spaces other than a plain space.');
  }
  if (name.trim() !== name) throw new AttestError('BAD_REQUEST', 'A source name cannot begin or end with a space.');
  if (LATIN.test(name) && CYRILLIC_OR_GREEK.test(name)) {
    throw new AttestError('BAD_REQUEST', 'A source name cannot mix Latin letters with Cyrillic or Greek ones (they can pass for each other).');
  }
  if (skeleton(name) === SELF_AUDIT_SOURCE) {
    throw new AttestError('BAD_REQUEST', `The source name "${SELF_AUDIT_SOURCE}" is reserved for Attest's own audit events (so is any name that looks like it): choose another name.`);
  }
  return name;
}

/** Throws as sourceNameOf does (a usage check before any work starts). */
export function checkSourceName(input: string): void {
  sourceNameOf(input);
}
