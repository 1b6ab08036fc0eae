import { AttestError } from '../../shared/result';
import { promptHidden } from './prompt';

export interface CredentialOptions {
  passphraseStdin?: boolean;
  newPassphraseStdin?: boolean;
  /** `init`: there is no current passphrase; --passphrase-stdin and ATTEST_PASSPHRASE name the new one. */
  creating?: boolean;
}

/**
 * Where passphrases come from, in the documented order: --passphrase-stdin, then ATTEST_PASSPHRASE, then a
 * prompt on a terminal. When a command needs two (change, add), stdin's first line is the current one and
 * the second the new one; ATTEST_NEW_PASSPHRASE or a prompt supply the new one otherwise.
 */
export class Credentials {
  private stdinLines: string[] | null = null;

  constructor(private readonly opts: CredentialOptions) {}

  private async stdinLine(index: number, what: string): Promise<string> {
    if (!this.stdinLines) {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      // Only the line break ends a passphrase; spaces inside or around it are part of it.
      this.stdinLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
    }
    const value = this.stdinLines[index];
    if (!value) throw new AttestError('BAD_REQUEST', `Standard input held no ${what} (line ${index + 1}).`);
    return value;
  }

  /** The current passphrase given without a prompt (stdin or environment), or null. */
  async given(): Promise<string | null> {
    if (this.opts.creating) return null;
    if (this.opts.passphraseStdin) return this.stdinLine(0, 'passphrase');
    return process.env.ATTEST_PASSPHRASE || null;
  }

  /** The current passphrase: given, or prompted on a terminal; null when neither is possible. */
  async current(label = 'Passphrase: '): Promise<string | null> {
    const given = await this.given();
    if (given !== null) return given;
    return canPrompt() ? promptHidden(label) : null;
  }

  /** A new passphrase (init, change, add): from stdin, the environment, or a prompt typed twice. */
  async next(label = 'New passphrase: '): Promise<string> {
    if (this.opts.newPassphraseStdin) return this.stdinLine(this.opts.passphraseStdin && !this.opts.creating ? 1 : 0, 'new passphrase');
    if (this.opts.creating && this.opts.passphraseStdin) return this.stdinLine(0, 'passphrase');
    const env = this.opts.creating ? process.env.ATTEST_PASSPHRASE : process.env.ATTEST_NEW_PASSPHRASE;
    if (env) return env;
    if (!canPrompt()) {
      throw new AttestError(
        'BAD_REQUEST',
        this.opts.creating
          ? 'A passphrase is needed: pass it with --passphrase-stdin or ATTEST_PASSPHRASE, run on a terminal, or use --keychain.'
          : 'A new passphrase is needed: pass it with --new-passphrase-stdin or ATTEST_NEW_PASSPHRASE, or run on a terminal.',
      );
    }
    const first = await promptHidden(label);
    const again = await promptHidden('Repeat it: ');
    if (first !== again) throw new AttestError('BAD_REQUEST', 'The two passphrases differ; nothing was changed.');
    return first;
  }

  /** Whether a passphrase for a new vault was supplied in any non-interactive way. */
  hasNewPassphraseSource(): boolean {
    return Boolean(this.opts.passphraseStdin || this.opts.newPassphraseStdin || (this.opts.creating ? process.env.ATTEST_PASSPHRASE : process.env.ATTEST_NEW_PASSPHRASE));
  }
}

export const canPrompt = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);
