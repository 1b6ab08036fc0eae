import { useState, type FormEvent } from 'react';
import { useApi } from '../../app/api-context';
import { useVault } from '../../app/vault-context';
import { Card } from '../../components/Card';
import { ErrorText, Notice } from '../../components/ErrorText';
import { useAction } from '../../components/use-action';
import { PasswordField } from '../../components/PasswordField';

export function ChangePassphrase() {
  const api = useApi();
  const { setStatus } = useVault();
  const action = useAction();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!current) return setFormError('Enter the current passphrase.');
    if (next.length < 8) return setFormError('Use at least 8 characters for the new passphrase.');
    if (next !== confirm) return setFormError('The two new passphrases do not match.');
    setFormError(null);
    const ok = await action.run(async () => {
      setStatus(await api.call('vault:changePassphrase', { current, next }));
      return 'Passphrase changed.';
    });
    if (ok) {
      setCurrent('');
      setNext('');
      setConfirm('');
    }
  }

  return (
    <Card title="Change passphrase">
      <form className="stack narrow" onSubmit={submit} aria-label="Change passphrase">
        <PasswordField id="cp-current" label="Current passphrase" autoComplete="current-password" value={current} onChange={setCurrent} />
        <PasswordField id="cp-next" label="New passphrase" autoComplete="new-password" value={next} onChange={setNext} />
        <PasswordField id="cp-confirm" label="Confirm new passphrase" autoComplete="new-password" value={confirm} onChange={setConfirm} />
        <ErrorText>{formError ?? action.error}</ErrorText>
        {action.done && <Notice tone="success">{action.done}</Notice>}
        <div>
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {action.busy ? 'Changing…' : 'Change passphrase'}
          </button>
        </div>
      </form>
    </Card>
  );
}
