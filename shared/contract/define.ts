import type { z } from 'zod';

/** One channel of the contract: a request schema and a response schema. */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** True when the call is allowed while the vault is locked (status, unlock, create). */
  readonly whileLocked?: boolean;
}

export const channel = <Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  opts: { whileLocked?: boolean } = {},
): ChannelSpec<Req, Res> => ({ request, response, ...opts });
