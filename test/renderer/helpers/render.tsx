import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { createApiClient, type ApiClient } from '../../../renderer/src/api';
import { ApiProvider } from '../../../renderer/src/app/api-context';
import { VaultContext } from '../../../renderer/src/app/vault-context';
import { createFakeTransport, type FakeTransport, type Handlers } from './fake-transport';

export interface Rendered extends RenderResult {
  fake: FakeTransport;
  client: ApiClient;
}

/** Renders `ui` with a client over a fake transport, and (when given) an unlocked vault context. */
export function renderWithApi(ui: ReactElement, handlers: Handlers, vault?: { status: VaultStatus; setStatus?: (s: VaultStatus) => void }): Rendered {
  const fake = createFakeTransport(handlers);
  const client = createApiClient(fake.transport);
  const tree = vault ? (
    <VaultContext.Provider
      value={{ status: vault.status, setStatus: vault.setStatus ?? (() => undefined), refresh: async () => undefined, lock: async () => undefined }}
    >
      {ui}
    </VaultContext.Provider>
  ) : (
    ui
  );
  const result = render(<ApiProvider client={client}>{tree}</ApiProvider>);
  return { ...result, fake, client };
}
