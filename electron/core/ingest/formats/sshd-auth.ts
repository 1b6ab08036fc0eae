/**
 * Recognises the authentication lines of sshd and PAM in a syslog message. Only these become OCSF
 * Authentication events; every other line stays a Base Event.
 */
export interface AuthFinding {
  activity: 1 | 2; // Logon, Logoff
  success: boolean;
  user?: string;
  /** Source address as logged: an IP, or a host name for PAM's rhost. */
  source?: string;
  port?: number;
  /** Short, stable description of what the line said ("Failed password", "Invalid user", ...). */
  detail: string;
  method?: string;
  invalidUser?: boolean;
  /** The PAM service (sshd, sudo, su, login, ...) for PAM lines. */
  pamService?: string;
}

/** Longer messages are never authentication lines; skipping them keeps the regexes linear and cheap. */
const MAX_AUTH_MESSAGE = 2048;

// "illegal user" is how OpenSSH before 3.9 said "invalid user".
const FAILED = /^Failed (\S+) for ((?:invalid|illegal) user )?(.*) from (\S+) port (\d{1,5})(?: ssh\d?)?\s*$/;
const ACCEPTED = /^Accepted (\S+) for (.*) from (\S+) port (\d{1,5})(?: ssh\d?)?(?::.*)?\s*$/;
const INVALID_USER = /^(?:Invalid|Illegal) user (.*) from (\S+)(?: port (\d{1,5}))?\s*$/;
/** sshd's own PAM verdicts (UsePAM with keyboard-interactive): "error: PAM: Authentication failure for root from h". */
const SSHD_PAM_FAILURE = /^error: PAM: (Authentication failure|User not known to the underlying authentication module) for ((?:invalid|illegal) user )?(.*) from (\S+)\s*$/;
/** Older PAM (Linux-PAM before 0.99, RHEL 4 and earlier) names itself in the program: "sshd(pam_unix)[pid]". */
const OLD_PAM_PROGRAM = /^([^\s()]+)\(pam_unix\)$/;
const OLD_PAM_AUTH_FAILURE = /^authentication failure;(.*)$/;
const OLD_PAM_SESSION = /^session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (.*))?\s*$/;
const PAM_AUTH_FAILURE = /^pam_unix\(([^:()\s]+):auth\): authentication failure;(.*)$/;
const PAM_SESSION = /^pam_unix\(([^:()\s]+):session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (.*))?\s*$/;
const REPEATED = /^message repeated (\d{1,9}) times: \[ ?(.*)\]\s*$/;

function isSshd(program: string | undefined): boolean {
  return program === undefined || program === 'sshd' || program.startsWith('sshd') || program.endsWith('/sshd');
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** The authentication meaning of one message, or null. */
export function matchAuth(program: string | undefined, msg: string): AuthFinding | null {
  if (msg.length > MAX_AUTH_MESSAGE) return null;
  if (isSshd(program)) {
    let m = FAILED.exec(msg);
    if (m) {
      return {
        activity: 1,
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
    if (m) return { activity: 1, success: true, method: m[1], user: nonEmpty(m[2]), source: m[3], port: Number(m[4]), detail: `Accepted ${m[1]}` };
    m = INVALID_USER.exec(msg);
    if (m) {
      const f: AuthFinding = { activity: 1, success: false, invalidUser: true, user: nonEmpty(m[1]), source: m[2], detail: 'Invalid user' };
      if (m[3] !== undefined) f.port = Number(m[3]);
      return f;
    }
    m = SSHD_PAM_FAILURE.exec(msg);
    if (m) {
      return {
        activity: 1,
        success: false,
        invalidUser: m[2] !== undefined || m[1] !== 'Authentication failure',
        user: nonEmpty(m[3]),
        source: m[4],
        detail: m[1] === 'Authentication failure' ? 'PAM authentication failure' : 'PAM: user not known',
        pamService: 'sshd',
      };
    }
  }
  const oldPam = program === undefined ? null : OLD_PAM_PROGRAM.exec(program);
  if (oldPam) return matchOldPam(oldPam[1] as string, msg);
  let m = PAM_AUTH_FAILURE.exec(msg);
  if (m) {
    const kv = pamFields(m[2] as string);
    return { activity: 1, success: false, user: nonEmpty(kv.user), source: nonEmpty(kv.rhost), detail: 'PAM authentication failure', pamService: m[1] };
  }
  m = PAM_SESSION.exec(msg);
  if (m) {
    const opened = m[2] === 'opened';
    return { activity: opened ? 1 : 2, success: true, user: m[3], detail: opened ? 'session opened' : 'session closed', pamService: m[1] };
  }
  return null;
}

/** The same verdicts in older PAM's words, the service named in the program ("su(pam_unix)"). */
function matchOldPam(service: string, msg: string): AuthFinding | null {
  let m = OLD_PAM_AUTH_FAILURE.exec(msg);
  if (m) {
    const kv = pamFields(m[1] as string);
    return { activity: 1, success: false, user: nonEmpty(kv.user), source: nonEmpty(kv.rhost), detail: 'PAM authentication failure', pamService: service };
  }
  m = OLD_PAM_SESSION.exec(msg);
  if (m) {
    const opened = m[1] === 'opened';
    return { activity: opened ? 1 : 2, success: true, user: m[2], detail: opened ? 'session opened' : 'session closed', pamService: service };
  }
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
