import { useCallback, useEffect, useState } from 'react';

/** Hash routes ("#/events", "#/events/quarantine?batch=3"): survive reloads, need no server support. */
export interface Route {
  /** Path segments, e.g. ['events', 'quarantine']. */
  segments: string[];
  params: URLSearchParams;
  /** The query as written in the address, undecoded: lets a page tell malformed percent-encoding apart. */
  query: string;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  // Split at the first "?" only: a second one belongs to the query (split('?', 2) dropped what followed it).
  const mark = body.indexOf('?');
  const path = mark === -1 ? body : body.slice(0, mark);
  const query = mark === -1 ? '' : body.slice(mark + 1);
  return { segments: path.split('/').filter(Boolean), params: new URLSearchParams(query), query };
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
