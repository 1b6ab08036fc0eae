import { describe, expect, it } from 'vitest';
import { displayWidth, fitToWidth, padToWidth } from '../../../electron/cli/display-width';

describe('display width in the terminal', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('alice')).toBe(5);
    expect(displayWidth('\u3000alice')).toBe(7); // the ideographic space of the probe
    expect(displayWidth('山田太郎')).toBe(8);
    expect(displayWidth('ｱ')).toBe(1); // halfwidth katakana
    expect(displayWidth('Ａ')).toBe(2); // fullwidth A
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('𠀀')).toBe(2); // CJK extension B, outside the BMP
  });

  it('pads to the same column whatever the script, and leaves longer values whole', () => {
    for (const name of ['alice', '山田太郎', '\u3000bob', 'e\u0301mile']) expect(displayWidth(padToWidth(name, 12))).toBe(12);
    expect(padToWidth('a-very-long-user-name', 8)).toBe('a-very-long-user-name');
  });

  it('cuts to the width with an ellipsis without splitting a wide character', () => {
    expect(fitToWidth('山田太郎山田太郎', 7)).toBe('山田太…');
    expect(fitToWidth('山田太郎山田太郎', 8)).toBe('山田太… ');
    expect(displayWidth(fitToWidth('山田太郎山田太郎', 7))).toBe(7);
    expect(fitToWidth('operator-with-long-name', 12)).toBe('operator-wi…');
    expect(fitToWidth('ok', 4)).toBe('ok  ');
  });
});
