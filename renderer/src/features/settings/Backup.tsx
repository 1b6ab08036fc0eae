import { useState, type FormEvent } from 'react';
import { useApi } from '../../app/api-context';
import { Card } from '../../components/Card';
import { ErrorText } from '../../components/ErrorText';
import { formatBytes } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useAction } from '../../components/use-action';

/** Writes an encrypted copy of the vault to a path on this computer and shows its checksum. */
export function Backup() {
  const api = useApi();
  const action = useAction();
  const [outFile, setOutFile] = useState('');
  const [result, setResult] = useState<{ file: string; bytes: number; sha256: string } | null>(null);
  // In a browser the page may not choose folders on this computer: the host writes the named file into
  // the backups folder beside the vault and answers with where it went.
  const inBrowser = api.transportKind === 'web';

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!outFile.trim()) return;
    setResult(null);
    void action.run(async () => {
      setResult(await api.call('vault:backup', { outFile: outFile.trim() }));
    });
  }

  return (
    <Card title="Backup">
      <form className="row" onSubmit={submit} aria-label="Back up the vault">
        <div className="field grow">
          <label className="field-label" htmlFor="backup-path">
            {inBrowser ? 'Backup file name (saved in the backups folder beside the vault)' : 'Backup file (full path on this computer)'}
          </label>
          <input
            id="backup-path"
            className="input mono"
            type="text"
            spellCheck={false}
            placeholder={inBrowser ? `attest-backup-${localDate(new Date())}.vault` : '/media/usb/attest-backup.vault'}
            value={outFile}
            onChange={(e) => setOutFile(e.target.value)}
          />
        </div>
        <button type="submit" className="btn" disabled={action.busy || !outFile.trim()}>
          {action.busy ? 'Backing up…' : 'Back up'}
        </button>
      </form>
      {action.busy && <ProgressBar value={null} label="Writing the backup" />}
      <ErrorText>{action.error}</ErrorText>
      {result && (
        <div className="notice notice-success" role="status">
          <p>
            Backup written: <span className="mono break">{result.file}</span> ({formatBytes(result.bytes)})
          </p>
          <p>
            SHA-256 <span className="mono break">{result.sha256}</span>
          </p>
        </div>
      )}
    </Card>
  );
}

/** Today as YYYY-MM-DD in the officer's zone: a name that sorts and says when. */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
