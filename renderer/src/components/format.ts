/** Display formatting in the operator's locale. Pure functions: easy to test, no React. */

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

export const formatNumber = (n: number): string => numberFormat.format(n);

export function formatDateTime(ms: number): string {
  return Number.isFinite(ms) ? dateTimeFormat.format(new Date(ms)) : '—';
}

export function formatDate(ms: number): string {
  return Number.isFinite(ms) ? dateFormat.format(new Date(ms)) : '—';
}

export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? timeFormat.format(new Date(ms)) : '—';
}

export function toIso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "1 h 04 min", "3 min 05 s", "12 s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Whole days between an ISO time and now, as words. */
export function formatAge(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const days = Math.floor((now - then) / 86_400_000);
  if (days <= 0) return 'created today';
  if (days === 1) return '1 day old';
  return `${formatNumber(days)} days old`;
}

/**
 * Characters that change how text around them looks without showing themselves: bidi controls (U+202E
 * makes "\u202Enimda" read "admin"), zero-width and other invisible characters ("ad\u200Bmin" looks like
 * "admin"), and control characters. Log data is hostile: each is shown as a visible [U+XXXX] marker, so
 * one actor cannot pass for another on screen; so are look-alike letters in a mixed-script word
 * (revealMixedScripts). Display only: stored and exported bytes are untouched.
 */
const HIDDEN_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]/g;

const marker = (c: string): string => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`;

/** Scripts whose letters pass for Latin ones ("а" U+0430, "і" U+0456, "ο" U+03BF). */
const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
const WORD = /[\p{L}\p{M}]+/gu;

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
    return letters.map((c) => (SCRIPTS.some((script, i) => i !== main && script.test(c)) ? marker(c) : c)).join('');
  });
}

/** Printable ASCII (with tabs and line breaks) has nothing to reveal: most log text, checked in one test. */
const PLAIN = /^[\t\n\r\x20-\x7e]*$/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Runs for every cell the events table renders while scrolling, so plain text returns at once. */
export function revealHidden(text: string): string {
  if (PLAIN.test(text)) return text;
  const shown = text.replace(HIDDEN_CHARACTERS, marker);
  return NON_ASCII.test(shown) ? revealMixedScripts(shown) : shown;
}

const LINE_BREAKS = /[\t\n\r]/g;

/**
 * revealHidden for a one-line name (a file, a source, an operator): tabs and line breaks are marked as
 * well, since on one line they would show as spaces ("a\nb.log" looking like "a b.log").
 */
export function revealHiddenLine(text: string): string {
  return revealHidden(text).replace(LINE_BREAKS, marker);
}
