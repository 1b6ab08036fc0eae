/** Hostile log content must not drive the operator's terminal: strip control characters (ESC sequences). */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD').replace(/\n/g, '\\n');
}
