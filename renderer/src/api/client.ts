import { contract, isChannel, PushSchema, ResultEnvelopeSchema } from '../../../shared/contract';
import type { Channel, Push, RequestOf, ResponseOf } from '../../../shared/contract';
import { ApiError } from './api-error';
import type { Transport } from './transport';

export interface ApiClient {
  readonly transportKind: Transport['kind'];
  /** Calls one channel. Resolves to the validated response; throws ApiError on `{ ok: false }` or anything odd. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Validated pushes from the engine; returns the unsubscribe function. */
  onPush(listener: (push: Push) => void): () => void;
  /** Called whenever any call fails with LOCKED (the vault locked under us); returns the unsubscribe function. */
  onLocked(listener: () => void): () => void;
  /** See Transport.stageFile. */
  stageFile(file: File, onProgress: (sentBytes: number, totalBytes: number) => void, signal?: AbortSignal): Promise<string>;
}

function firstIssue(error: { issues: ReadonlyArray<{ message: string }> }): string {
  return error.issues[0]?.message ?? 'The request is not valid.';
}

export function createApiClient(transport: Transport): ApiClient {
  const lockedListeners = new Set<() => void>();

  async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (!isChannel(channel)) throw new ApiError('UNKNOWN_CHANNEL', `Unknown channel ${String(channel)}.`);
    const spec = contract[channel];
    // Check locally first so a form shows the schema's own message without a round trip.
    const checked = spec.request.safeParse(request);
    if (!checked.success) throw new ApiError('BAD_REQUEST', firstIssue(checked.error));

    const raw = await transport.invoke(channel, request);
    const envelope = ResultEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new ApiError('BAD_RESPONSE', `Attest answered ${channel} with something unexpected.`);
    }
    if (!envelope.data.ok) {
      const error = ApiError.fromAppError(envelope.data.error);
      if (error.code === 'LOCKED') for (const listener of [...lockedListeners]) listener();
      throw error;
    }
    const value = spec.response.safeParse(envelope.data.value);
    if (!value.success) {
      throw new ApiError('BAD_RESPONSE', `Attest answered ${channel} with a result this version cannot read.`);
    }
    return value.data as ResponseOf<C>;
  }

  return {
    transportKind: transport.kind,
    call,
    onPush(listener) {
      return transport.subscribe((raw) => {
        const push = PushSchema.safeParse(raw);
        if (push.success) listener(push.data);
      });
    },
    onLocked(listener) {
      lockedListeners.add(listener);
      return () => lockedListeners.delete(listener);
    },
    stageFile: (file, onProgress, signal) => transport.stageFile(file, onProgress, signal),
  };
}
