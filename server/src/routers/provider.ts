import { protectedProcedure, router } from '../trpc';

/** Providers and models with prices. Never a key, an env var's value or a URL. */
export const providerRouter = router({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.services.llm.providers().map((p) => ({
      id: p.id,
      name: p.displayName,
      simulated: p.simulated,
      configured: p.configured,
      isDefault: p.isDefault,
      allowUnlistedModels: p.allowUnlistedModels,
      note: p.status === 'ready' ? undefined : p.status,
      models: p.models.map((m) => ({
        id: m.id,
        name: m.displayName,
        inputPer1M: m.inputPer1M,
        outputPer1M: m.outputPer1M,
      })),
    })),
  ),
  defaultModel: protectedProcedure.query(({ ctx }) => ctx.services.llm.defaultModel()),
});
