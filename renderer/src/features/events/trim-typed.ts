/**
 * A filter value without the spaces typed or pasted around it: only the ASCII ones. String.trim() also
 * removes a no-break or thin space, which can be part of a hostile name ("alice\u00A0", another actor than
 * "alice"): filtering by that name, from the field or from a link, showed plain alice's events instead.
 */
export function trimTyped(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}
