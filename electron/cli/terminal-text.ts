/**
 * Hostile log content (and hostile file names) must not drive the operator's terminal: control characters
 * (ESC sequences, C1) and bidirectional overrides that reorder what is shown become U+FFFD; newlines are
 * shown as \n so one record stays on one line.
 */
export function sanitize(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD')
      .replace(/\n/g, '\\n')
  );
}
