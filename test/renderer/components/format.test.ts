import { describe, expect, it } from 'vitest';
import { revealHidden, revealHiddenLine } from '../../../renderer/src/components/format';

describe('revealHidden', () => {
  it('marks every bidi control, invisible and control character and leaves other text alone', () => {
    expect(revealHidden('\u202Eevil')).toBe('[U+202E]evil');
    expect(revealHidden('a\u2066b\u2069c\u200Fd\u061Ce')).toBe('a[U+2066]b[U+2069]c[U+200F]d[U+061C]e');
    expect(revealHidden('ad\u200Bmi\u2060n\uFEFF\u00AD')).toBe('ad[U+200B]mi[U+2060]n[U+FEFF][U+00AD]');
    expect(revealHidden('nul\u0000 bel\u0007 del\u007F')).toBe('nul[U+0000] bel[U+0007] del[U+007F]');
    // Tabs and line breaks lay text out; letters of any script, emoji and combining marks stay.
    expect(revealHidden('tab\tline\nZoë Иван 東京 👩‍💻')).toBe('tab\tline\nZoë Иван 東京 👩[U+200D]💻');
  });
  it('marks the look-alike letters of a word that mixes Latin, Cyrillic and Greek, and leaves one-script words alone', () => {
    expect(revealHidden('adm\u0456n')).toBe('adm[U+0456]n'); // Cyrillic і among Latin
    expect(revealHidden('p\u0430yp\u0430l')).toBe('p[U+0430]yp[U+0430]l'); // Cyrillic а
    expect(revealHidden('\u0418\u0432a\u043d')).toBe('\u0418\u0432[U+0061]\u043d'); // a Latin a in a Cyrillic name
    expect(revealHidden('g\u03bfogle')).toBe('g[U+03BF]ogle'); // Greek omicron
    expect(revealHidden('Иван Petrov, Ζωή, admin, Zoë, 東京')).toBe('Иван Petrov, Ζωή, admin, Zoë, 東京');
  });
});

describe('revealHiddenLine', () => {
  it('marks line breaks and tabs in one-line names, as well as what revealHidden marks', () => {
    expect(revealHiddenLine('a\nb.log')).toBe('a[U+000A]b.log');
    expect(revealHiddenLine('a\r\tb')).toBe('a[U+000D][U+0009]b');
    expect(revealHiddenLine('x\u2028y\u202ez')).toBe('x[U+2028]y[U+202E]z');
    expect(revealHiddenLine('plain-name.log')).toBe('plain-name.log');
  });
});

describe('revealHidden: characters that show as nothing', () => {
  it('marks spaces that pass for the ordinary one, so "alice\\u00A0" cannot look like "alice"', () => {
    expect(revealHiddenLine('alice\u00a0')).toBe('alice[U+00A0]');
    expect(revealHidden('a\u2009b\u200ac\u202fd\u205fe\u1680f\u2002g')).toBe('a[U+2009]b[U+200A]c[U+202F]d[U+205F]e[U+1680]f[U+2002]g');
    // The ideographic space is ordinary in CJK text (and visibly wider).
    expect(revealHidden('東京\u3000大阪')).toBe('東京\u3000大阪');
  });
  it('marks tag characters and the braille blank', () => {
    expect(revealHidden('admin\u{e0041}\u{e0042}')).toBe('admin[U+E0041][U+E0042]');
    expect(revealHidden('a\u2800b')).toBe('a[U+2800]b');
  });
});

