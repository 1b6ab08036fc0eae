import type { ReactNode } from 'react';

/** An operator-readable error, announced to screen readers. Renders nothing without a message. */
export function ErrorText({ children, id }: { children: ReactNode; id?: string }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <p className="error-text" role="alert" id={id}>
      {children}
    </p>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <p className={`notice notice-${tone}`} role="status">
      {children}
    </p>
  );
}
