import { afterEach, beforeEach } from 'vitest';

/**
 * happy-dom does no layout, so every element measures 0×0 and a virtualized list renders nothing.
 * Give elements a fixed client size for the tests that render the events table.
 */
export function useFakeLayout(width = 1200, height = 720): void {
  const saved: Array<[string, PropertyDescriptor | undefined]> = [];
  beforeEach(() => {
    for (const [prop, value] of [
      ['clientWidth', width],
      ['clientHeight', height],
      ['offsetWidth', width],
      ['offsetHeight', height],
    ] as const) {
      saved.push([prop, Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop)]);
      Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
    }
  });
  afterEach(() => {
    for (const [prop, descriptor] of saved.splice(0)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, prop, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
    }
  });
}
