import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

/** The one plain line a page shows while its capability is not built yet: no invented numbers. */
export function NotYetAvailable({ children }: { children: ReactNode }) {
  return <p className="not-yet">{children}</p>;
}
