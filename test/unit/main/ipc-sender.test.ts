import { describe, expect, it } from 'vitest';
import { describeSenderFrame, isAllowedInvokeEvent, type FrameLike } from '../../../electron/main/ipc-sender';

function frame(url: string, opts: { parent?: FrameLike | null; processId?: number; routingId?: number; destroyed?: boolean } = {}): FrameLike {
  return {
    url,
    parent: opts.parent ?? null,
    processId: opts.processId ?? 1,
    routingId: opts.routingId ?? 1,
    isDestroyed: () => opts.destroyed ?? false,
  };
}

describe('isAllowedInvokeEvent', () => {
  const mainFrame = frame('app://attest/index.html');

  it('accepts the main frame of the app page', () => {
    expect(isAllowedInvokeEvent({ senderFrame: mainFrame, sender: { mainFrame } })).toBe(true);
  });

  it('refuses an iframe of the same origin', () => {
    const child = frame('app://attest/index.html', { parent: mainFrame, routingId: 2 });
    expect(isAllowedInvokeEvent({ senderFrame: child, sender: { mainFrame } })).toBe(false);
  });

  it('refuses a main frame showing another origin', () => {
    const foreign = frame('data:text/html,<p>hi</p>');
    expect(isAllowedInvokeEvent({ senderFrame: foreign, sender: { mainFrame: foreign } })).toBe(false);
  });

  it('refuses a frame that is gone or destroyed', () => {
    expect(isAllowedInvokeEvent({ senderFrame: null, sender: { mainFrame } })).toBe(false);
    const destroyed = frame('app://attest/index.html', { destroyed: true });
    expect(isAllowedInvokeEvent({ senderFrame: destroyed, sender: { mainFrame: destroyed } })).toBe(false);
  });

  it('refuses a top-level frame of another window that is not this contents’ main frame', () => {
    const other = frame('app://attest/index.html', { processId: 7, routingId: 9 });
    expect(isAllowedInvokeEvent({ senderFrame: other, sender: { mainFrame } })).toBe(false);
  });
});

describe('describeSenderFrame', () => {
  it('treats a second wrapper of the same main frame as the main frame', () => {
    const mainFrame = frame('app://attest/index.html', { processId: 3, routingId: 4 });
    const sameFrame = frame('app://attest/index.html', { processId: 3, routingId: 4 });
    expect(describeSenderFrame({ senderFrame: sameFrame, sender: { mainFrame } })).toEqual({
      url: 'app://attest/index.html',
      isMainFrame: true,
    });
  });
});
