import { powerMonitor } from 'electron';

/**
 * Locks the vault when the machine is locked or goes to sleep: an unattended, unlocked vault is exactly
 * what the auto-lock exists to prevent, and sleep can last longer than the idle timeout.
 */
export function lockOnScreenLockAndSuspend(lockVault: () => void): void {
  powerMonitor.on('lock-screen', lockVault);
  powerMonitor.on('suspend', lockVault);
}
