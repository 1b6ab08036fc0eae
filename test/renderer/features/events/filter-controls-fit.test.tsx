import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFilters } from '../../../../renderer/src/features/events/EventFilters';
import { useAppStyles } from '../../helpers/app-styles';

useAppStyles();
afterEach(cleanup);

/**
 * happy-dom does no layout, so this checks the rules that decide it: "Any outcome" was cut to "Any outcom"
 * at 1400 px because each control had width: 100% of a 143 px grid column and min-width: 0 (a form
 * control with a percentage width may shrink below its text). Chromium at 1280–1920 px: see the report.
 */
describe('Filter bar controls', () => {
  it('never get narrower than their own text: auto width, the content as the field minimum, the bar wraps', () => {
    render(<EventFilters value={{}} onApply={() => undefined} />);
    const form = screen.getByRole('form', { name: 'Filter events' });
    const bar = getComputedStyle(form);
    expect(bar.display).toBe('flex');
    expect(bar.flexWrap).toBe('wrap');
    const controls = Array.from(form.querySelectorAll<HTMLElement>('.input'));
    expect(controls.length).toBe(8);
    for (const control of controls) {
      const field = control.closest('.field') as HTMLElement;
      const width = getComputedStyle(control).width;
      // auto (sized by its text) or a fixed length; never a share of the column.
      expect(width.endsWith('%'), `${control.id} width ${width}`).toBe(false);
      expect(getComputedStyle(field).minWidth, control.id).toBe('auto');
    }
  });

  it('gives text fields room for their placeholder', () => {
    render(<EventFilters value={{}} onApply={() => undefined} />);
    for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('.filters input.input:not([type])'))) {
      expect(input.size, input.id).toBeGreaterThanOrEqual(Math.max(14, input.placeholder.length));
    }
  });
});

describe('Filter bar hidden characters', () => {
  it('spells out under Actor and Source a character that does not show (a no-break space looks like a space)', () => {
    render(<EventFilters value={{ actor: 'alice\u00A0', source: 'okta' }} onApply={() => undefined} />);
    const actor = screen.getByLabelText('Actor');
    const hint = document.getElementById(actor.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe('Searching for “alice[U+00A0]”');
    expect(screen.getByLabelText('Source').getAttribute('aria-describedby')).toBeNull();
    expect(document.querySelectorAll('.field-hint-hidden')).toHaveLength(1);
  });
});
