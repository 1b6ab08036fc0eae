/**
 * Characters that change how text around them looks without showing themselves: bidi controls (U+202E
 * makes "\u202Enimda" read "admin"), zero-width and other invisible characters ("ad\u200Bmin" looks like
 * "admin"), tag characters and the braille blank, line and paragraph separators, control characters
 * other than tab and line breaks, and spaces that pass for the ordinary one (no-break, thin, hair...:
 * "alice\u00A0" is another actor than "alice", and must not look the same). Log data is hostile: wherever
 * it is shown (the app, the CLI), each becomes a visible [U+XXXX] marker. The ideographic space (U+3000)
 * is left alone: in CJK text it is ordinary, and it is twice as wide as a space.
 */
export const HIDDEN_CHARACTERS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** Tab and line breaks: fine in a message shown as a block, hidden in a one-line name or a terminal line. */
export const LINE_BREAKS = /[\t\n\r]/g;

/** The visible stand-in for a hidden character: "[U+202E]", "[U+E0041]". */
export function hiddenMarker(c: string): string {
  return `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Scripts whose letters pass for Latin ones ("а" U+0430, "і" U+0456, "ο" U+03BF). */
const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
const WORD = /[\p{L}\p{M}]+/gu;
/** Printable ASCII (with tabs and line breaks) has nothing to reveal: most log text, checked in one test. */
const PLAIN = /^[\t\n\r\x20-\x7e]*$/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * A word that mixes Latin, Cyrillic and Greek letters ("admіn" with a Cyrillic і) is how a look-alike
 * name is made; a real name keeps to one script. In such a word the letters of the scripts it uses
 * least are shown as markers ("adm[U+0456]n"), so it cannot pass for the plain word.
 */
function revealMixedScripts(text: string): string {
  return text.replace(WORD, (word) => {
    if (!NON_ASCII.test(word)) return word;
    const letters = Array.from(word);
    const counts = SCRIPTS.map((script) => letters.filter((c) => script.test(c)).length);
    if (counts.filter((n) => n > 0).length < 2) return word;
    const main = counts.indexOf(Math.max(...counts));
    return letters.map((c) => (SCRIPTS.some((script, i) => i !== main && script.test(c)) ? hiddenMarker(c) : c)).join('');
  });
}

/**
 * Text as it may be shown: hidden characters and the look-alike letters of mixed-script words become
 * [U+XXXX] markers; tabs and line breaks stay (a message shown as a block). Display only: stored and
 * exported bytes are untouched. Runs for every cell the events table renders while scrolling, so plain
 * text returns at once.
 */
export function revealHidden(text: string): string {
  if (PLAIN.test(text)) return text;
  const shown = text.replace(HIDDEN_CHARACTERS, hiddenMarker);
  return NON_ASCII.test(shown) ? revealMixedScripts(shown) : shown;
}

/**
 * revealHidden for one line (a file, source or operator name; a terminal line): tabs and line breaks are
 * marked as well, since on one line they would show as spaces ("a\nb.log" looking like "a b.log").
 */
export function revealHiddenLine(text: string): string {
  return revealHidden(text).replace(LINE_BREAKS, hiddenMarker);
}
