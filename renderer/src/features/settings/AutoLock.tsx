import { useState, type FormEvent } from 'react';
import { useApi } from '../../app/api-context';
import { useVault } from '../../app/vault-context';
import { Card } from '../../components/Card';
import { ErrorText, Notice } from '../../components/ErrorText';
import { useAction } from '../../components/use-action';

export function AutoLock() {
  const api = useApi();
  const { status, setStatus } = useVault();
  const action = useAction();
  const [minutes, setMinutes] = useState(String(status.autoLockMinutes));
  const [formError, setFormError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const value = Number(minutes);
    if (!Number.isInteger(value) || value < 1 || value > 1440) return setFormError('Enter a whole number of minutes from 1 to 1440.');
    setFormError(null);
    void action.run(async () => {
      setStatus(await api.call('vault:setAutoLock', { minutes: value }));
      return `The vault will lock after ${value} ${value === 1 ? 'minute' : 'minutes'} without activity.`;
    });
  }

  return (
    <Card title="Auto-lock">
      <form className="row" onSubmit={submit} aria-label="Auto-lock">
        <div className="field">
          <label className="field-label" htmlFor="autolock-minutes">
            Minutes without activity
          </label>
          <input id="autolock-minutes" className="input" type="number" min={1} max={1440} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </div>
        <button type="submit" className="btn" disabled={action.busy}>
          Save
        </button>
      </form>
      <ErrorText>{formError ?? action.error}</ErrorText>
      {action.done && <Notice tone="success">{action.done}</Notice>}
    </Card>
  );
}
