import type { Channel, RequestOf, ResponseOf } from '../../../shared/contract';
import { createApiClient, type ApiClient } from './client';
import { selectTransport } from './select-transport';

export { ApiError, errorMessage, isApiError } from './api-error';
export type { ApiErrorCode } from './api-error';
export { createApiClient } from './client';
export type { ApiClient } from './client';
export type { Transport } from './transport';
export { selectTransport } from './select-transport';

let defaultClient: ApiClient | null = null;

/** The app-wide client, created on first use with the transport chosen for this window. */
export function getApiClient(): ApiClient {
  defaultClient ??= createApiClient(selectTransport());
  return defaultClient;
}

/** Shorthand for getApiClient().call: typed by the contract, throws ApiError on failure. */
export function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return getApiClient().call(channel, request);
}
