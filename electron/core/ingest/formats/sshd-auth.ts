import { MAX_AUTH_MESSAGE, nonEmpty, type UnixFinding } from './unix-finding';

/**
 * Recognises the authentication verdicts of sshd and PAM in a syslog message (OCSF Authentication, 3002):
 * sshd's Accepted/Failed lines, PAM's "authentication failure" and unix_chkpwd's failed checks. PAM
 * session lines are pam-session.ts; sudo, su and account management have their own files.
 */

// "illegal user" is how OpenSSH before 3.9 said "invalid user".
const FAILED = /^Failed (\S+) for ((?:invalid|illegal) user )?(.*) from (\S+) port (\d{1,5})(?: ssh\d?)?\s*$/;
const ACCEPTED = /^Accepted (\S+) for (.*) from (\S+) port (\d{1,5})(?: ssh\d?)?(?::.*)?\s*$/;
const INVALID_USER = /^(?:Invalid|Illegal) user (.*) from (\S+)(?: port (\d{1,5}))?\s*$/;
/** sshd's own PAM verdicts (UsePAM with keyboard-interactive): "error: PAM: Authentication failure for root from h". */
const SSHD_PAM_FAILURE = /^error: PAM: (Authentication failure|User not known to the underlying authentication module) for ((?:invalid|illegal) user )?(.*) from (\S+)\s*$/;
/** Older PAM (Linux-PAM before 0.99, RHEL 4 and earlier) names itself in the program: "sshd(pam_unix)[pid]". */
export const OLD_PAM_PROGRAM = /^([^\s()]{1,64})\(pam_unix\)$/;
const OLD_PAM_AUTH_FAILURE = /^authentication failure;(.*)$/;
/**
 * Old PAM's summary of the retries after the first failure of one conversation (which has its own
 * "authentication failure" line): N further failures, so the event counts N. Today's sshd says "PAM N more
 * authentication failures" but also logs each attempt as "Failed password", so that form is not counted.
 */
const OLD_PAM_MORE_FAILURES = /^(\d{1,9}) more authentication failures;(.*)$/;
/** "auth" for a logon; "chauthtok" when the current password was wrong while changing it (passwd). */
const PAM_AUTH_FAILURE = /^pam_unix\(([^:()\s]{1,64}):(?:auth|chauthtok)\): authentication failure;(.*)$/;
/** unix_chkpwd, pam_unix's helper for callers that are not root (screen lockers, sudo under SELinux). */
const CHKPWD_FAILED = /^password check failed for user \(([^\s()]{1,256})\)\s*$/;
const REPEATED = /^message repeated (\d{1,9}) times: \[ ?(.*)\]\s*$/;

function isSshd(program: string | undefined): boolean {
  return program === undefined || program === 'sshd' || program.startsWith('sshd') || program.endsWith('/sshd');
}

/** The authentication verdict of one message, or null. */
export function matchAuth(program: string | undefined, msg: string): UnixFinding | null {
  if (msg.length > MAX_AUTH_MESSAGE) return null;
  if (isSshd(program)) {
    const f = matchSshd(msg);
    if (f) return f;
  }
  const oldPam = program === undefined ? null : OLD_PAM_PROGRAM.exec(program);
  if (oldPam) return matchOldPamAuth(oldPam[1] as string, msg);
  const m = PAM_AUTH_FAILURE.exec(msg);
  if (m) return pamFailure(m[1] as string, m[2] as string);
  if (program === 'unix_chkpwd') {
    const c = CHKPWD_FAILED.exec(msg);
    if (c) return { classUid: 3002, activityId: 1, success: false, user: c[1] as string, detail: 'password check failed' };
  }
  return null;
}

function matchSshd(msg: string): UnixFinding | null {
  let m = FAILED.exec(msg);
  if (m) {
    return {
      classUid: 3002,
      activityId: 1,
      success: false,
      method: m[1],
      invalidUser: m[2] !== undefined,
      user: nonEmpty(m[3]),
      source: m[4],
      port: Number(m[5]),
      detail: `Failed ${m[1]}${m[2] ? ' (invalid user)' : ''}`,
    };
  }
  m = ACCEPTED.exec(msg);
  // The logon of an SSH login: its PAM "session opened" line is not counted again (pam-session.ts).
  if (m) return { classUid: 3002, activityId: 1, success: true, method: m[1], user: nonEmpty(m[2]), source: m[3], port: Number(m[4]), detail: `Accepted ${m[1]}` };
  m = INVALID_USER.exec(msg);
  if (m) {
    const f: UnixFinding = { classUid: 3002, activityId: 1, success: false, invalidUser: true, user: nonEmpty(m[1]), source: m[2], detail: 'Invalid user' };
    if (m[3] !== undefined) f.port = Number(m[3]);
    return f;
  }
  m = SSHD_PAM_FAILURE.exec(msg);
  if (m) {
    return {
      classUid: 3002,
      activityId: 1,
      success: false,
      invalidUser: m[2] !== undefined || m[1] !== 'Authentication failure',
      user: nonEmpty(m[3]),
      source: m[4],
      detail: m[1] === 'Authentication failure' ? 'PAM authentication failure' : 'PAM: user not known',
      pamService: 'sshd',
    };
  }
  return null;
}

function pamFailure(service: string, fields: string, count?: number): UnixFinding {
  const kv = pamFields(fields);
  const f: UnixFinding = { classUid: 3002, activityId: 1, success: false, user: nonEmpty(kv.user), source: nonEmpty(kv.rhost), detail: 'PAM authentication failure', pamService: service };
  if (count !== undefined) {
    f.count = count;
    f.detail = `PAM ${count} more authentication failures`;
  }
  return f;
}

/** Old PAM's verdicts, the service named in the program ("sshd(pam_unix)"). */
function matchOldPamAuth(service: string, msg: string): UnixFinding | null {
  let m = OLD_PAM_AUTH_FAILURE.exec(msg);
  if (m) return pamFailure(service, m[1] as string);
  m = OLD_PAM_MORE_FAILURES.exec(msg);
  if (m && Number(m[1]) > 0) return pamFailure(service, m[2] as string, Number(m[1]));
  return null;
}

/** "message repeated 5 times: [ Failed password ...]": the inner message and the count. */
export function matchRepeated(msg: string): { count: number; inner: string } | null {
  if (msg.length > MAX_AUTH_MESSAGE) return null;
  const m = REPEATED.exec(msg);
  return m ? { count: Number(m[1]), inner: m[2] as string } : null;
}

/** PAM's "logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root" (values may be empty). */
function pamFields(s: string): { user?: string; rhost?: string } {
  const out: { user?: string; rhost?: string } = {};
  for (const part of s.trim().split(/\s+/)) {
    if (part.startsWith('user=')) out.user = part.slice(5);
    else if (part.startsWith('rhost=')) out.rhost = part.slice(6);
  }
  return out;
}
