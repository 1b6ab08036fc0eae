import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../api';

const ApiContext = createContext<ApiClient | null>(null);

/** Gives every screen the client; tests pass one built on a fake transport. */
export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an <ApiProvider> above it.');
  return client;
}
