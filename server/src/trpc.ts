import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import type { AppContext } from './context';

/** The one place tRPC is initialised. Routers import `router` and the procedure builders from here. */
const t = initTRPC.context<AppContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Internal errors never leak their message (it could name a path or a provider detail).
    const safe =
      error.code === 'INTERNAL_SERVER_ERROR'
        ? 'Internal error: the server log has the details.'
        : shape.message;
    return { ...shape, message: safe, data: { code: shape.data.code, httpStatus: shape.data.httpStatus } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every procedure: access checked (the token when the server is bound beyond loopback). */
export const publicProcedure = t.procedure;
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.authorized) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'This server needs an access token: send it as "Authorization: Bearer <GW_ACCESS_TOKEN>".',
    });
  }
  return next();
});
