/** One list of response statuses, used by the LLM service, the engine, stats and the UI. */
export const RESPONSE_STATUSES = [
  'ok',
  'rate_limited',
  'timeout',
  'server_error',
  'connection_error',
  'invalid_request',
  'auth_error',
  'content_filter',
  'context_length',
  'invalid_output',
  'budget_exceeded',
  'cancelled',
] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** Whether a status is worth retrying with the same request (the single source of that decision). */
export const RETRYABLE: Readonly<Record<ResponseStatus, boolean>> = {
  ok: false,
  rate_limited: true,
  timeout: true,
  server_error: true,
  connection_error: true,
  invalid_request: false,
  auth_error: false,
  content_filter: false,
  context_length: false,
  invalid_output: false,
  budget_exceeded: false,
  cancelled: false,
};
