import fs from 'node:fs';
import { AttestError } from '../../shared/result';
import { sanitize } from './terminal-text';

/**
 * Opens a new file for an export (owner-only), never overwriting one: an existing file, a missing folder
 * or a folder given as the file is the operator's input error, said in one line before anything is read.
 */
export function openNewOutputFile(file: string): number {
  try {
    return fs.openSync(file, 'wx', 0o600);
  } catch (err) {
    let code = (err as NodeJS.ErrnoException).code;
    const name = sanitize(file);
    if (code === 'EEXIST' && isFolder(file)) code = 'EISDIR';
    switch (code) {
      case 'EEXIST':
        throw new AttestError('BAD_REQUEST', `${name} already exists: choose a new file name (exports never overwrite a file).`);
      case 'ENOENT':
        throw new AttestError('BAD_REQUEST', `The folder of ${name} does not exist.`);
      case 'EISDIR':
        throw new AttestError('BAD_REQUEST', `${name} is a folder: give the name of a new file in it.`);
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        throw new AttestError('IO', `No permission to create ${name}.`);
      default:
        throw new AttestError('IO', `Could not create ${name} (${code ?? 'unknown error'}).`);
    }
  }
}

/** Writes data to a new file (openNewOutputFile's rules), closing it whatever happens. */
export function writeNewOutputFile(file: string, data: string | Buffer): void {
  const fd = openNewOutputFile(file);
  try {
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
