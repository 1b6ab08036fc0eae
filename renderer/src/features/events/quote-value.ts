import { revealHiddenLine } from '../../components/format';

/** Values quoted in a sentence come from addresses and logs: kept short, hidden characters marked. */
const QUOTE_MAX = 60;

export function quoteValue(text: string): string {
  const shown = revealHiddenLine(text);
  return `“${shown.length > QUOTE_MAX ? `${shown.slice(0, QUOTE_MAX - 1)}…` : shown}”`;
}
