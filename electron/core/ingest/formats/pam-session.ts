import { MAX_AUTH_MESSAGE, nameAndUid, type UnixFinding } from './unix-finding';

/**
 * PAM's "session opened/closed" lines, by the service that opened the session. Only an interactive console
 * or desktop login is a logon here: an SSH login's logon is sshd's "Accepted" line (so its session is not
 * counted twice), sudo and su switch privileges (the invoker acts on the target user), and cron, atd or
 * systemd-user sessions are daemons at work, not people logging on.
 *
 *   service                         opened                               closed
 *   login, gdm*, lightdm, sddm,     3002 Logon (actor: the user)         3002 Logoff
 *   xrdp* (PAM_INTERACTIVE)
 *   sshd, sshd-*                    3002 99 Session Opened               3002 Logoff (the only logoff of an SSH login)
 *   sudo, su, runuser, pkexec, ...  3003 99 Session Opened (actor: the   3003 99 Session Closed
 *   (PAM_PRIVILEGE)                 invoker; target user in resources)
 *   anything else (cron, atd,       3002 99 Session Opened               3002 99 Session Closed
 *   systemd-user, ...)
 *
 * A privilege switch is counted once, as Assign Privileges, on the program's own line (sudo's COMMAND
 * line, su's "Successful su"): see privilege-switch.ts.
 */

const PAM_SESSION = /^pam_unix\(([^:()\s]{1,64}):session\): session (opened|closed) for user (\S{1,300}?)(?:\(uid=(\d{1,10})\))?(?: by (\S{0,300}))?\s*$/;
const OLD_PAM_SESSION = /^session (opened|closed) for user (\S{1,300}?)(?:\(uid=(\d{1,10})\))?(?: by (\S{0,300}))?\s*$/;

/** Console and desktop logins: no other line records these logons. gdm's and lightdm's greeters are not people. */
const PAM_INTERACTIVE = /^(?:login|gdm(?!-launch-environment$)[\w-]*|lightdm(?:-autologin)?|sddm(?:-autologin)?|xrdp[\w-]*)$/;
const PAM_PRIVILEGE = new Set(['sudo', 'sudo-i', 'su', 'su-l', 'runuser', 'runuser-l', 'pkexec', 'polkit-1']);

/** Whether sessions of this PAM service switch privileges (sudo, su, ...). */
export function isPrivilegeService(service: string): boolean {
  return PAM_PRIVILEGE.has(service);
}

/** A PAM session line: today's "pam_unix(SVC:session): ..." or old PAM's, whose service is in the program. */
export function matchPamSession(oldPamService: string | undefined, msg: string): UnixFinding | null {
  if (msg.length > MAX_AUTH_MESSAGE) return null;
  if (oldPamService !== undefined) {
    const m = OLD_PAM_SESSION.exec(msg);
    return m ? sessionFinding(oldPamService, m[1] === 'opened', m[2] as string, m[3], m[4]) : null;
  }
  const m = PAM_SESSION.exec(msg);
  return m ? sessionFinding(m[1] as string, m[2] === 'opened', m[3] as string, m[4], m[5]) : null;
}

function sessionFinding(service: string, opened: boolean, targetName: string, targetUid: string | undefined, by: string | undefined): UnixFinding {
  const base = { success: true, pamService: service, detail: opened ? 'session opened' : 'session closed' };
  if (isPrivilegeService(service)) {
    const invoker = nameAndUid(by);
    const target: NonNullable<UnixFinding['target']> = { type: 'User', name: targetName };
    if (targetUid !== undefined) target.uid = targetUid;
    // "closed" names only the target: it is the actor then (the session was the target's).
    const actor = opened ? invoker : { name: targetName };
    return { classUid: 3003, activityId: 99, activityName: opened ? 'Session Opened' : 'Session Closed', ...base, ...nameUid(actor), target };
  }
  const actor = { user: targetName, ...(targetUid !== undefined ? { uid: targetUid } : {}) };
  if (PAM_INTERACTIVE.test(service)) return { classUid: 3002, activityId: opened ? 1 : 2, ...base, ...actor };
  if (!opened && (service === 'sshd' || service.startsWith('sshd-'))) return { classUid: 3002, activityId: 2, ...base, ...actor };
  return { classUid: 3002, activityId: 99, activityName: opened ? 'Session Opened' : 'Session Closed', ...base, ...actor };
}

function nameUid(a: { name?: string; uid?: string }): { user?: string; uid?: string } {
  const out: { user?: string; uid?: string } = {};
  if (a.name !== undefined) out.user = a.name;
  if (a.uid !== undefined) out.uid = a.uid;
  return out;
}
