import { useCallback, useEffect, useState } from 'react';

/** Hash routes ("#/events", "#/events/quarantine?batch=3"): survive reloads, need no server support. */
export interface Route {
  /** Path segments, e.g. ['events', 'quarantine']. */
  segments: string[];
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  return { segments: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

export function navigate(to: string): void {
  window.location.hash = to.startsWith('#') ? to : `#${to}`;
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  const onChange = useCallback(() => setHash(window.location.hash), []);
  useEffect(() => {
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [onChange]);
  return parseRoute(hash);
}
