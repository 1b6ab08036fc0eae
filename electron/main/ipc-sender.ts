import { isAllowedSender, type SenderFrameInfo } from './security-policy';

// Reads what the sender check needs from an IpcMainInvokeEvent. Structural types (no electron import)
// so the test can hand in fakes; Electron's WebFrameMain and WebContents satisfy them.

export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
  isDestroyed(): boolean;
}

export interface InvokeEventLike {
  /** null once the frame has navigated away or been destroyed. */
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly mainFrame: FrameLike };
}

export function describeSenderFrame(event: InvokeEventLike): SenderFrameInfo | null {
  const frame = event.senderFrame;
  if (frame === null || frame.isDestroyed()) return null;
  const main = event.sender.mainFrame;
  // Electron hands out one WebFrameMain per frame, so identity is the check; the id comparison only
  // matters if a second wrapper for the same main frame ever appears.
  const isMainFrame =
    frame === main || (frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId);
  return { url: frame.url, isMainFrame };
}

/** The check registerIpcAdapter runs on every message: app origin, main frame. */
export function isAllowedInvokeEvent(event: InvokeEventLike): boolean {
  return isAllowedSender(describeSenderFrame(event));
}
