import { z } from 'zod';
import { contract, isChannel, type Channel, type ParsedRequestOf, type ResponseOf, type Push } from '../../shared/contract';
import { AttestError, type Result } from '../../shared/result';

/** Who is calling, over what. Handlers never see transport details beyond this. */
export interface CallContext {
  transport: 'ipc' | 'web' | 'inproc';
  /** Operator name recorded in audit events (OS user for local transports). */
  operator: string;
  /** Sends a push (progress, lock) back to the caller's window or socket. */
  push: (message: Push) => void;
}

export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  ctx: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type HandlerTable = { [C in Channel]: Handler<C> };

export interface RegistryOptions {
  /** Whether the vault is unlocked now; channels not marked whileLocked are refused otherwise. */
  isUnlocked: () => boolean;
  /** Called on every successful call (auto-lock idle timer). */
  onActivity?: () => void;
  /** Where unexpected errors are reported (never to the caller: they may hold paths or secrets). */
  logError?: (channel: string, err: unknown) => void;
}

/**
 * The one handler registry every transport goes through: unknown channel -> rejected, payload parsed
 * by its schema before the handler runs, errors folded into `{ ok: false, error }`.
 */
export class Registry {
  constructor(
    private readonly handlers: HandlerTable,
    private readonly options: RegistryOptions,
  ) {}

  async dispatch(channelName: string, payload: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (typeof channelName !== 'string' || !isChannel(channelName)) {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel "${String(channelName).slice(0, 64)}".` } };
    }
    const spec = contract[channelName];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'BAD_REQUEST', message: describeZodError(parsed.error) } };
    }
    if (!('whileLocked' in spec && spec.whileLocked) && !this.options.isUnlocked()) {
      return { ok: false, error: { code: 'LOCKED', message: 'The vault is locked. Unlock it first.' } };
    }
    try {
      const handler = this.handlers[channelName] as Handler<Channel>;
      const value = await handler(parsed.data as never, ctx);
      this.options.onActivity?.();
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toAppError(err, channelName, this.options.logError) };
    }
  }
}

export function toAppError(err: unknown, channelName: string, logError?: (c: string, e: unknown) => void) {
  if (err instanceof AttestError) {
    return err.details ? { code: err.code, message: err.message, details: err.details } : { code: err.code, message: err.message };
  }
  logError?.(channelName, err);
  return { code: 'INTERNAL' as const, message: 'Something went wrong inside Attest; the operation was not completed.' };
}

export function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The request is not valid.';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `Invalid request — ${where}${first.message}`;
}
