import { describe, expect, it } from 'vitest';
import { defaultVaultDir } from '../../../../electron/core/vault/default-location';

describe('defaultVaultDir', () => {
  it('follows XDG on Linux', () => {
    expect(defaultVaultDir({}, 'linux', '/home/ann')).toBe('/home/ann/.local/share/attest/vault');
    expect(defaultVaultDir({ XDG_DATA_HOME: '/data/ann' }, 'linux', '/home/ann')).toBe('/data/ann/attest/vault');
    expect(defaultVaultDir({ XDG_DATA_HOME: 'relative/ignored' }, 'linux', '/home/ann')).toBe('/home/ann/.local/share/attest/vault');
  });
  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultVaultDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/attest/vault');
    expect(defaultVaultDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\attest\\vault',
    );
    expect(defaultVaultDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\attest\\vault');
  });
  it('is overridden by ATTEST_VAULT_DIR', () => {
    expect(defaultVaultDir({ ATTEST_VAULT_DIR: '/srv/attest', XDG_DATA_HOME: '/x' }, 'linux', '/home/ann')).toBe('/srv/attest');
    expect(defaultVaultDir({ ATTEST_VAULT_DIR: '   ' }, 'linux', '/home/ann')).toBe('/home/ann/.local/share/attest/vault');
  });
});
