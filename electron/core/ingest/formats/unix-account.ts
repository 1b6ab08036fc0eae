import { MAX_AUTH_MESSAGE, type UnixFinding } from './unix-finding';

/**
 * Account and group management on a Unix host (shadow-utils, PAM's password change, pam_faillock's lock):
 * OCSF Account Change (3001) and Group Management (3006). The account or group acted on is the resource.
 * These lines do not say who ran the tool (only the audit log does), so there is no actor: none is guessed.
 *
 *   useradd  "new user: name=U, UID=N, ..."             3001 Create        "failed adding user 'U', ..."  Create, failure
 *   userdel  "delete user 'U'"                           3001 Delete        "removed group 'G' owned by 'U'" 3006 Delete
 *   usermod  "change user 'U' password"                  3001 Password Change; any other "change user 'U' ..." 3001 Other
 *   passwd, chpasswd "pam_unix(SVC:chauthtok): password changed for U"  3001 Password Change
 *   chfn     "changed user 'U' information"              3001 Other
 *   chage    "changed password expiry for U"             3001 Other
 *   groupadd, useradd "new group: name=G, GID=N"         3006 Create        groupdel "group 'G' removed"  3006 Delete
 *   pam_faillock "Consecutive login failures for user U account temporarily locked"  3001 Lock (success: it locked)
 */

const SHADOW_PROGRAMS = new Set(['useradd', 'userdel', 'usermod', 'groupadd', 'groupdel', 'groupmod', 'chage', 'chfn', 'chsh', 'chpasswd', 'newusers', 'gpasswd', 'passwd']);

const NEW_USER = /^new user: name=([^\s,]{1,256}), UID=(\d{1,10})(?:,|\s*$)/;
const FAILED_ADDING = /^failed adding user '([^']{1,256})'(?:,|\s*$)/;
const DELETE_USER = /^delete user '([^']{1,256})'\s*$/;
const CHANGE_USER = /^change user '([^']{1,256})' ([A-Za-z]{1,32})\b/;
const CHANGED_INFORMATION = /^changed user '([^']{1,256})' information\s*$/;
const CHANGED_EXPIRY = /^changed password expiry for (\S{1,256})\s*$/;
const NEW_GROUP = /^new group: name=([^\s,]{1,256}), GID=(\d{1,10})\s*$/;
const GROUP_REMOVED = /^group '([^']{1,256})' removed\s*$/;
const USERDEL_GROUP_REMOVED = /^removed group '([^']{1,256})' owned by '[^']{1,256}'\s*$/;
const PASSWORD_CHANGED = /^pam_unix\(([^:()\s]{1,64}):chauthtok\): password changed for (\S{1,256})\s*$/;
const FAILLOCK_LOCKED = /^pam_faillock\(([^:()\s]{1,64}):[a-z]{1,16}\): Consecutive login failures for user (\S{1,256}) account temporarily locked\s*$/;

/** An account or group change, or null. */
export function matchAccountChange(program: string | undefined, msg: string): UnixFinding | null {
  if (msg.length > MAX_AUTH_MESSAGE) return null;
  let m = PASSWORD_CHANGED.exec(msg);
  if (m) return { ...user(3, true, m[2] as string, 'password changed'), pamService: m[1] as string };
  m = FAILLOCK_LOCKED.exec(msg);
  if (m) return { ...user(9, true, m[2] as string, 'account temporarily locked after consecutive login failures'), pamService: m[1] as string };
  if (program === undefined || !SHADOW_PROGRAMS.has(program)) return null;
  if ((m = NEW_USER.exec(msg))) return user(1, true, m[1] as string, 'new user', m[2]);
  if ((m = FAILED_ADDING.exec(msg))) return user(1, false, m[1] as string, 'failed adding user');
  if ((m = DELETE_USER.exec(msg))) return user(6, true, m[1] as string, 'delete user');
  if ((m = CHANGE_USER.exec(msg))) {
    const what = m[2] as string;
    return user(what === 'password' ? 3 : 99, true, m[1] as string, `change user ${what}`);
  }
  if ((m = CHANGED_INFORMATION.exec(msg))) return user(99, true, m[1] as string, 'changed user information');
  if ((m = CHANGED_EXPIRY.exec(msg))) return user(99, true, m[1] as string, 'changed password expiry');
  if ((m = NEW_GROUP.exec(msg))) return group(6, 'Create', m[1] as string, 'new group', m[2]);
  if ((m = GROUP_REMOVED.exec(msg))) return group(5, 'Delete', m[1] as string, 'group removed');
  if ((m = USERDEL_GROUP_REMOVED.exec(msg))) return group(5, 'Delete', m[1] as string, 'removed group');
  return null;
}

function user(activityId: number, success: boolean, name: string, detail: string, uid?: string): UnixFinding {
  return { classUid: 3001, activityId, success, target: uid === undefined ? { type: 'User', name } : { type: 'User', name, uid }, detail };
}

function group(activityId: number, activityName: string, name: string, detail: string, gid?: string): UnixFinding {
  return { classUid: 3006, activityId, activityName, success: true, target: gid === undefined ? { type: 'Group', name } : { type: 'Group', name, uid: gid }, detail };
}
