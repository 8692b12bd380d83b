import { TRPCClientError } from '@trpc/client';

/** The readable message of an API error (the server's messages already say what to do). */
export function errorMessage(e: unknown): string {
  if (e instanceof TRPCClientError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Whether an API error means the thing asked for does not exist. */
export function isNotFound(e: unknown): boolean {
  return e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === 'NOT_FOUND';
}
