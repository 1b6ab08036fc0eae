/**
 * What one Unix auth.log line means, before it becomes a canonical event (syslog.ts): which OCSF class and
 * activity, who acted, and which account or group it was done to. Every string in it came from the log line.
 */
export interface UnixFinding {
  /** 3001 Account Change, 3002 Authentication, 3003 Authorize Session, 3006 Group Management. */
  classUid: 3001 | 3002 | 3003 | 3006;
  activityId: number;
  /** Set when the name OCSF gives activityId is not the one meant (99 "Session Opened") or Attest has none. */
  activityName?: string;
  success: boolean;
  /** The actor: who logged on, who ran sudo or su. Absent when the line does not say (never guessed). */
  user?: string;
  uid?: string;
  /** The account or group acted on: sudo's or su's target user, the account created, deleted or locked. */
  target?: { type: 'User' | 'Group'; name: string; uid?: string };
  /** Source address as logged: an IP, or a host name for PAM's rhost. */
  source?: string;
  port?: number;
  /** Short, stable description of what the line said ("Failed password", "Invalid user", ...). */
  detail: string;
  method?: string;
  invalidUser?: boolean;
  /** The PAM service (sshd, sudo, su, login, ...) for PAM lines. */
  pamService?: string;
  /** Occurrences the line stands for (old PAM's "2 more authentication failures"); absent = 1. */
  count?: number;
  /** sudo's COMMAND= (bounded). */
  command?: string;
}

/** Longer messages are never these lines (sudo's excepted, see privilege-switch.ts): the regexes stay cheap. */
export const MAX_AUTH_MESSAGE = 2048;

/** A user or group name as a log line gives it: Unix allows 32 characters, a directory name more; longer is not a name. */
export const MAX_NAME = 256;

/** "vagrant(uid=1000)", "(uid=0)", "vagrant": PAM's "by" part and a user's uid; name and uid each optional. */
export function nameAndUid(s: string | undefined): { name?: string; uid?: string } {
  if (s === undefined) return {};
  const m = /^([^\s()]{0,256})\(uid=(\d{1,10})\)$/.exec(s);
  if (m) return { ...(m[1] ? { name: m[1] } : {}), uid: m[2] as string };
  return /^[^\s()]{1,256}$/.test(s) ? { name: s } : {};
}

export function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
