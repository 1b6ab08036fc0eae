import { revealHiddenLine } from '../../shared/domain/hidden-characters';

/**
 * Hostile log content (and hostile file names) must not drive the operator's terminal nor pass for other
 * text: escape sequences, C1 controls, bidi overrides, zero-width characters, look-alike letters in
 * mixed-script words — and line breaks and tabs, so one record stays on one line — are shown as
 * [U+XXXX] markers, as the app shows them. (A newline used to become the two characters "\n", which a
 * real backslash-n in the data could not be told apart from; zero-width characters passed unchanged.)
 */
export function sanitize(text: string): string {
  return revealHiddenLine(text);
}
