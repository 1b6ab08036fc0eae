import { matchPamSession } from './pam-session';
import { matchPrivilegeSwitch } from './privilege-switch';
import { matchAuth, OLD_PAM_PROGRAM } from './sshd-auth';
import { matchAccountChange } from './unix-account';
import type { UnixFinding } from './unix-finding';

/**
 * Solaris and illumos put "[ID <msgid> <facility>.<level>] " before every message: skipped to read the line,
 * kept in the event's message.
 */
const SOLARIS_MSGID = /^\[ID \d{1,12} [a-z0-9]{1,16}\.[a-z]{1,16}\] /;

export function withoutSolarisMsgId(msg: string): string {
  const m = SOLARIS_MSGID.exec(msg);
  return m ? msg.slice(m[0].length) : msg;
}

/**
 * The meaning of one Unix auth.log message (sshd, PAM, sudo, su, shadow-utils), or null for any other line.
 * `msg` is the message without its Solaris msgid.
 */
export function matchUnixLine(program: string | undefined, msg: string): UnixFinding | null {
  const auth = matchAuth(program, msg);
  if (auth) return auth;
  const oldPam = program === undefined ? null : OLD_PAM_PROGRAM.exec(program);
  return matchPamSession(oldPam ? (oldPam[1] as string) : undefined, msg) ?? matchPrivilegeSwitch(program, msg) ?? matchAccountChange(program, msg);
}
