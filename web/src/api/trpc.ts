import type { AppRouter } from '@graphwright/server/router';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import { authHeaders, markUnauthorized, withToken } from './auth';

/** EventSource that carries the access token in its URL (it cannot send an Authorization header). */
const TokenEventSource =
  typeof EventSource === 'undefined'
    ? undefined
    : class extends EventSource {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(withToken(String(url)), init);
        }
      };

/** The one tRPC client of the web app: subscriptions over SSE, everything else batched over HTTP. */
export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', transformer: superjson, EventSource: TokenEventSource }),
      false: httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        headers: authHeaders,
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (res.status === 401) markUnauthorized();
          return res;
        },
      }),
    }),
  ],
});
