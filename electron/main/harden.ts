import { shell, type Session, type WebContents } from 'electron';
import {
  isAllowedExternalUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  isRemoteRequest,
} from './security-policy';

// Wires the pure decisions of security-policy.ts to Electron's hooks. Applied to the session once and to
// every WebContents as it is created (app 'web-contents-created'), so no window escapes it.

/** Opens an allow-listed https URL in the user's browser; anything else is dropped silently. */
function openExternalIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url).catch(() => undefined);
}

export function hardenWebContents(contents: WebContents): void {
  // window.open / target=_blank: never a new Electron window.
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
  // Main-frame navigation away from app://attest (a clicked link, location = ...): blocked.
  contents.on('will-navigate', (event) => {
    if (isNavigationAllowed(event.url, true)) return;
    event.preventDefault();
    openExternalIfAllowed(event.url);
  });
  // Any frame, including iframes (will-navigate only covers the main frame).
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  // No URL filter (every request is seen) rather than match patterns, whose accepted schemes vary by version.
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: isRemoteRequest(details.url) }));
}
