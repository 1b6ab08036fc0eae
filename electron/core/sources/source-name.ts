import { AttestError } from '../../../shared/result';
import { SELF_AUDIT_SOURCE } from '../chain/self-audit';

/** Characters that change how a name displays without being seen: controls, format (bidi, zero-width), line separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC_OR_GREEK = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;

/**
 * Refuses a source name an operator could not tell apart from another: empty or over 128 characters,
 * with invisible characters (the name is also NUL-terminated inside every fingerprint), space at either
 * end, Latin letters mixed with Cyrillic or Greek look-alikes — and Attest's own audit source, under any
 * case or compatibility form. Events recorded under that name must be Attest's own: an import under it
 * would pass for the vault's record of its unlocks, locks and imports.
 */
export function checkSourceName(name: string): void {
  if (name.length === 0 || name.length > 128) throw new AttestError('BAD_REQUEST', 'A source name has 1 to 128 characters.');
  if (INVISIBLE.test(name)) {
    throw new AttestError('BAD_REQUEST', 'A source name cannot contain control, direction or zero-width characters.');
  }
  if (name.trim() !== name) throw new AttestError('BAD_REQUEST', 'A source name cannot begin or end with a space.');
  if (LATIN.test(name) && CYRILLIC_OR_GREEK.test(name)) {
    throw new AttestError('BAD_REQUEST', 'A source name cannot mix Latin letters with Cyrillic or Greek ones (they can pass for each other).');
  }
  if (name.normalize('NFKC').toLowerCase() === SELF_AUDIT_SOURCE) {
    throw new AttestError('BAD_REQUEST', `The source name "${SELF_AUDIT_SOURCE}" is reserved for Attest's own audit events: choose another name.`);
  }
}
