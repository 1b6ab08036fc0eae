import { createContext, useContext } from 'react';
import type { VaultStatus } from '../../../shared/contract';

export interface VaultState {
  status: VaultStatus;
  /** Replaces the status with one a vault:* call returned. */
  setStatus(status: VaultStatus): void;
  /** Asks the engine for the status again. */
  refresh(): Promise<void>;
  /** Locks the vault now (the header's Lock button). */
  lock(): Promise<void>;
}

export const VaultContext = createContext<VaultState | null>(null);

export function useVault(): VaultState {
  const state = useContext(VaultContext);
  if (!state) throw new Error('useVault needs the unlocked shell above it.');
  return state;
}
