import { z } from 'zod';
import { vaultChannels } from './vault';
import { eventChannels, IngestProgressSchema } from './events';
import { AppErrorSchema } from '../result';

/** The one IPC contract: every channel any transport may call. */
export const contract = { ...vaultChannels, ...eventChannels } as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export const isChannel = (name: string): name is Channel => Object.prototype.hasOwnProperty.call(contract, name);

/** Progress and state pushes from main to renderer (WebSocket in browser mode, IPC events in Electron). */
export const PushSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('vault:locked'), reason: z.enum(['idle', 'operator']) }),
  z.object({ type: z.literal('ingest:progress'), progress: IngestProgressSchema }),
]);
export type Push = z.infer<typeof PushSchema>;

export const ResultEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);

export * from './vault';
export * from './events';
export * from './define';
