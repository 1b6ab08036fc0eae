import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api';
import { useApi } from './api-context';
import { NavIcon } from './NavIcon';
import { appRoutes, findRoute } from './routes';
import { useRoute } from './router';
import { useActivityTouch } from './use-activity-touch';
import { useVault } from './vault-context';

/** The unlocked app: sidebar navigation, a header with the vault's state and Lock, and the current page. */
export function Shell() {
  const api = useApi();
  const vault = useVault();
  const route = useRoute();
  const current = findRoute(route);
  const [lockError, setLockError] = useState<string | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  useActivityTouch(api, true);

  // Move focus to the page on navigation so keyboard and screen-reader users land on the new content.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [current.id]);

  useEffect(() => {
    document.title = `${current.label} · Attest`;
  }, [current.label]);

  const { status } = vault;
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Attest</span>
        </div>
        <ul className="nav-list">
          {appRoutes.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} className="nav-link" aria-current={r.id === current.id ? 'page' : undefined}>
                <NavIcon id={r.id} />
                {r.label}
              </a>
            </li>
          ))}
        </ul>
        <p className="sidebar-foot">Offline · evidence stays on this computer</p>
      </nav>
      <div className="shell-main">
        <header className="topbar">
          <h1 className="page-title">{current.label}</h1>
          <div className="topbar-right">
            <span className="vault-state" title={status.path}>
              <span className="dot dot-ok" aria-hidden="true" />
              Vault unlocked
              <span className="muted"> · auto-lock after {status.autoLockMinutes} min</span>
            </span>
            {lockError && <span className="error-inline" role="alert">{lockError}</span>}
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                setLockError(null);
                vault.lock().catch((err: unknown) => setLockError(errorMessage(err)));
              }}
            >
              <span className="lock-icon" aria-hidden="true" />
              Lock
            </button>
          </div>
        </header>
        <main id="main" className="page" ref={mainRef} tabIndex={-1} aria-label={current.label}>
          {current.render(route)}
        </main>
      </div>
    </div>
  );
}
