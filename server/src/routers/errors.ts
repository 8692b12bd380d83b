import { TRPCError } from '@trpc/server';
import { GraphServiceError } from '../graphs/service';

/** Turns a domain error into the tRPC error a client can act on; anything else stays internal. */
export function toTrpcError(e: unknown): never {
  if (e instanceof TRPCError) throw e;
  if (e instanceof GraphServiceError) {
    const code =
      e.kind === 'not_found' ? 'NOT_FOUND' : e.kind === 'too_large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    throw new TRPCError({ code, message: e.message });
  }
  throw e;
}

/** Runs a domain call, converting its errors. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return toTrpcError(e);
  }
}
