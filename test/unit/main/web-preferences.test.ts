import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../../electron/main/web-preferences';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences({ preloadPath: '/app/out/preload/index.js', devTools: false });

  it("follows Electron's security checklist explicitly", () => {
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });

  it('opens DevTools only when told (development)', () => {
    expect(prefs.devTools).toBe(false);
    expect(secureWebPreferences({ preloadPath: 'p', devTools: true }).devTools).toBe(true);
  });

  it('keeps the window hidden until painted and uses the secure preferences', () => {
    const options = mainWindowOptions({ preloadPath: 'p', devTools: false });
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual(secureWebPreferences({ preloadPath: 'p', devTools: false }));
  });
});
