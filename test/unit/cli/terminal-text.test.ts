import { describe, expect, it } from 'vitest';
import { sanitize } from '../../../electron/cli/terminal-text';

describe('sanitize (text for the terminal)', () => {
  it('shows escape sequences, direction overrides and zero-width characters as markers', () => {
    expect(sanitize('\u001b[31mred\u001b[0m')).toBe('[U+001B][31mred[U+001B][0m');
    expect(sanitize('\u202enimda')).toBe('[U+202E]nimda');
    expect(sanitize('ad\u200bmin')).toBe('ad[U+200B]min');
    expect(sanitize('\u009bC1')).toBe('[U+009B]C1');
  });

  it('keeps one record on one line, and a real backslash-n apart from a newline', () => {
    expect(sanitize('a\nb')).toBe('a[U+000A]b');
    expect(sanitize('a\\nb')).toBe('a\\nb');
    expect(sanitize('a\r\tb')).toBe('a[U+000D][U+0009]b');
  });

  it('marks look-alike letters in a word that mixes scripts, and leaves plain text alone', () => {
    expect(sanitize('admіn')).toBe('adm[U+0456]n');
    expect(sanitize('Иван <script>x</script> 10.0.0.1')).toBe('Иван <script>x</script> 10.0.0.1');
  });
});
