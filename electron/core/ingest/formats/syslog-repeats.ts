import type { ParseContext } from '../parse-types';
import type { SyslogHeader } from './syslog-header';

/**
 * syslogd's "last message repeated N times" (sysklogd, old rsyslog): the line before it in the file happened N
 * more times. Unlike "message repeated N times: [ ... ]" it does not repeat the message, so the parser keeps
 * the last line it read (ParseContext.syslogPrevious) to know what was repeated.
 */
const LAST_REPEATED = /^last message repeated (\d{1,9}) times?\s*$/;

/** Longest message remembered: longer ones are not lines a repeat can be read for. */
const MAX_REMEMBERED = 65536;

export interface LastRepeated {
  count: number;
  /** The repeated line's message; absent when the line before is unknown or from another host or program. */
  previous?: { app?: string; msg: string };
}

export function matchLastRepeated(msg: string, h: SyslogHeader, ctx: ParseContext): LastRepeated | null {
  const m = msg.length > 64 ? null : LAST_REPEATED.exec(msg);
  if (!m) return null;
  const count = Number(m[1]);
  const prev = ctx.syslogPrevious;
  // A central log interleaves hosts: a repeat is read only for the line of the same host and program.
  const same = prev !== undefined && (h.host === undefined || prev.host === undefined || h.host === prev.host) && (h.app === undefined || prev.app === undefined || h.app === prev.app);
  if (!same || count <= 0) return { count };
  return { count, previous: prev.app === undefined ? { msg: prev.msg } : { app: prev.app, msg: prev.msg } };
}

/** Remembers a line (its message without the Solaris msgid) for a repeat that may follow. */
export function rememberLine(ctx: ParseContext, h: SyslogHeader, msg: string): void {
  if (msg.length > MAX_REMEMBERED) {
    delete ctx.syslogPrevious;
    return;
  }
  const p: NonNullable<ParseContext['syslogPrevious']> = { msg };
  if (h.host !== undefined) p.host = h.host;
  if (h.app !== undefined) p.app = h.app;
  ctx.syslogPrevious = p;
}
