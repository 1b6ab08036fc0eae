import { MAX_AUTH_MESSAGE, MAX_NAME, type UnixFinding } from './unix-finding';

/**
 * sudo's and su's own lines: who switched to which user. Each switch is counted once, as OCSF Authorize
 * Session (3003) Assign Privileges, on these lines; the PAM session it opens is a "Session Opened" beside it
 * (pam-session.ts). The invoker is the actor, the user switched to is the resource.
 */

/** sudo's line holds the whole command, which may run to kilobytes (ansible): read linearly, up to this. */
const MAX_SUDO_MESSAGE = 65536;
const MAX_COMMAND = 8192;

/** sudo's refusals that are about permission, not the password: an Authorize Session failure. */
const SUDO_DENIALS = new Set(['user NOT in sudoers', 'command not allowed', 'user NOT authorized on host', 'a password is required']);
const SUDO_PASSWORD_FAILURES = /^(\d{1,9}) incorrect password attempts?$/;

// Shadow's su ("Successful su for tsg by root", "+ /dev/pts/1 root:tsg") and util-linux's ("(to root) alice on pts/0").
const SU_SHADOW = /^(Successful|FAILED) su for (\S{1,256}) by (\S{1,256})\s*$/;
const SU_SULOG = /^([+-]) (\S{1,256}) ([^\s:]{1,256}):(\S{1,256})\s*$/;
const SU_UTIL_LINUX = /^(FAILED SU )?\(to (\S{1,256})\) (\S{1,256}) on (\S{1,256})\s*$/;

/** A line of the program sudo or su that records a switch, or null. */
export function matchPrivilegeSwitch(program: string | undefined, msg: string): UnixFinding | null {
  if (program === 'sudo') return matchSudo(msg);
  if (program === 'su' && msg.length <= MAX_AUTH_MESSAGE) return matchSu(msg);
  return null;
}

/**
 * "  vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls"
 * "      tsg : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls"
 * "      tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls"
 */
function matchSudo(msg: string): UnixFinding | null {
  if (msg.length > MAX_SUDO_MESSAGE) return null;
  const sep = msg.indexOf(' : ');
  if (sep < 0) return null;
  const invoker = msg.slice(0, sep).trimStart();
  if (invoker.length === 0 || invoker.length > MAX_NAME || /\s/.test(invoker)) return null;
  const rest = msg.slice(sep + 3);
  // COMMAND= comes last and may itself hold " ; ": everything after it is the command.
  const cmdAt = rest.startsWith('COMMAND=') ? 0 : rest.indexOf(' ; COMMAND=');
  const head = cmdAt < 0 ? rest : rest.slice(0, cmdAt);
  const command = cmdAt < 0 ? undefined : rest.slice(cmdAt === 0 ? 8 : cmdAt + 11).slice(0, MAX_COMMAND);
  const fields = head.split(' ; ');
  const first = (fields[0] ?? '').trim();
  let targetName: string | undefined;
  for (const f of fields) if (f.startsWith('USER=')) targetName = f.slice(5);
  if (targetName !== undefined && (targetName.length === 0 || targetName.length > MAX_NAME)) targetName = undefined;
  // sudo escapes nothing: a working directory or a command holding " ; USER=" or " ; COMMAND=" makes the
  // line say two things. No target is then claimed (the invoker chose those strings), and the detail says why.
  const ambiguous = rest.split(' ; COMMAND=').length > 2 || rest.split(/(?:^| ; )USER=/).length > 2;
  if (ambiguous) targetName = undefined;
  const context: Pick<UnixFinding, 'user' | 'target' | 'command'> = { user: invoker };
  if (targetName !== undefined) context.target = { type: 'User', name: targetName };
  if (command !== undefined) context.command = command;
  if (/^(?:TTY|PWD|USER|HOST)=/.test(first)) {
    return { classUid: 3003, activityId: 1, activityName: 'Assign Privileges', success: true, detail: ambiguous ? 'sudo (the target user is ambiguous: the line holds more than one USER= or COMMAND=)' : 'sudo', ...context };
  }
  // The password was wrong: a failed authentication of the invoker, as sudo's PAM "authentication failure" is.
  if (SUDO_PASSWORD_FAILURES.test(first)) return { classUid: 3002, activityId: 1, success: false, detail: first, ...context };
  if (SUDO_DENIALS.has(first)) return { classUid: 3003, activityId: 1, activityName: 'Assign Privileges', success: false, detail: first, ...context };
  return null;
}

function matchSu(msg: string): UnixFinding | null {
  let m = SU_SHADOW.exec(msg);
  if (m) return suFinding(m[1] === 'Successful', m[3] as string, m[2] as string, `${m[1]} su`);
  m = SU_UTIL_LINUX.exec(msg);
  if (m) return suFinding(m[1] === undefined, m[3] as string, m[2] as string, m[1] === undefined ? 'su' : 'FAILED SU');
  m = SU_SULOG.exec(msg);
  // Shadow's sulog record, written beside "Successful su"/"FAILED su" for the same switch: not counted again.
  if (m) return { ...suFinding(m[1] === '+', m[3] as string, m[4] as string, `su record (${m[1]})`), activityId: 99, activityName: 'Other' };
  return null;
}

function suFinding(success: boolean, invoker: string, target: string, detail: string): UnixFinding {
  return { classUid: 3003, activityId: 1, activityName: 'Assign Privileges', success, user: invoker, target: { type: 'User', name: target }, detail };
}
