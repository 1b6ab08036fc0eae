import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { createApiClient, type ApiClient } from '../../../renderer/src/api';
import { ApiProvider } from '../../../renderer/src/app/api-context';
import { VaultContext } from '../../../renderer/src/app/vault-context';
import { IngestProvider } from '../../../renderer/src/features/events/ingest-context';
import { createFakeTransport, type FakeTransport, type Handlers } from './fake-transport';

export interface Rendered extends RenderResult {
  fake: FakeTransport;
  client: ApiClient;
}

/** Renders `ui` with a client over a fake transport, and (when given) an unlocked vault context. */
export function renderWithApi(ui: ReactElement, handlers: Handlers, vault?: { status: VaultStatus; setStatus?: (s: VaultStatus) => void }): Rendered {
  const fake = createFakeTransport(handlers);
  const client = createApiClient(fake.transport);
  // A wrapper, not a wrapped tree: rerender() keeps the providers (as the app keeps them across pages).
  function Providers({ children }: { children: ReactNode }) {
    const inner = vault ? (
      <VaultContext.Provider
        value={{ status: vault.status, setStatus: vault.setStatus ?? (() => undefined), refresh: async () => undefined, lock: async () => undefined }}
      >
        {children}
      </VaultContext.Provider>
    ) : (
      children
    );
    // As in the app: the import job lives above the pages.
    return (
      <ApiProvider client={client}>
        <IngestProvider>{inner}</IngestProvider>
      </ApiProvider>
    );
  }
  const result = render(ui, { wrapper: Providers });
  return { ...result, fake, client };
}
