/** Every size limit of a graph document, in one place (the validator and the server both read these). */
export const LIMITS = {
  maxBlocks: 5_000,
  maxTransitions: 20_000,
  maxDocumentBytes: 1_000_000,
  maxPromptBytes: 64 * 1024,
  maxExpressionLength: 4_096,
  maxCompositeDepth: 8,
  maxNameLength: 200,
  maxIdLength: 64,
  maxMessages: 100,
  maxVars: 200,
  maxJsonDepth: 64,
  defaultMaxIterations: 10_000,
  defaultMaxVisitsPerBlock: 1_000,
} as const;

export type Limits = typeof LIMITS;
