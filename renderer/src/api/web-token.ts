const STORAGE_KEY = 'attest.token';

/**
 * The web host prints its URL with the per-launch token in the fragment (`#token=...`), which browsers never
 * send to a server. Take it from there once, keep it for this tab (sessionStorage, so reloads work), and
 * remove it from the visible address so it is not shoulder-surfed, bookmarked or copied into a ticket.
 */
export function takeTokenFromLocation(win: Window = window): string | null {
  const hash = win.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      win.sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works until the tab reloads.
    }
    params.delete('token');
    const rest = params.toString();
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  try {
    return win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
