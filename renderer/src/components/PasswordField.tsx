import type { ReactNode } from 'react';

interface PasswordFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** 'new-password' for a passphrase being chosen, 'current-password' for one being checked. */
  autoComplete: 'new-password' | 'current-password';
  hint?: ReactNode;
  autoFocus?: boolean;
}

/** A labelled passphrase input: every passphrase form in the app looks and behaves the same. */
export function PasswordField({ id, label, value, onChange, autoComplete, hint, autoFocus }: PasswordFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input"
        type="password"
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(hintId ? { 'aria-describedby': hintId } : {})}
        {...(autoFocus ? { autoFocus: true } : {})}
      />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
