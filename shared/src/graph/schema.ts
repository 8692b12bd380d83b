import { z } from 'zod';
import { LIMITS } from './limits';

/**
 * The graph document: what the canvas edits, what is saved as an immutable version, what the
 * compiler reads. Positions are canvas-only; the compiler and block versions ignore them.
 */

export const SCHEMA_VERSION = 1 as const;

const idPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ID_PATTERN = idPattern;

export const blockIdSchema = z
  .string()
  .min(1, 'A block id cannot be empty')
  .max(LIMITS.maxIdLength, `A block id is at most ${LIMITS.maxIdLength} characters`)
  .regex(
    idPattern,
    'A block id starts with a letter or _ and holds only letters, digits and _ (it is used as out.<id>)',
  );

const nameSchema = z
  .string()
  .max(LIMITS.maxNameLength, `A name is at most ${LIMITS.maxNameLength} characters`);
const exprSchema = z
  .string()
  .min(1, 'An expression cannot be empty')
  .max(LIMITS.maxExpressionLength, `An expression is at most ${LIMITS.maxExpressionLength} characters`);

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const reducerSchema = z.enum(['replace', 'append', 'sum', 'merge']);
export type Reducer = z.infer<typeof reducerSchema>;

export const varSpecSchema = z.object({
  reducer: reducerSchema.default('replace'),
  initial: z.unknown().optional(),
  description: z.string().optional(),
});
export type VarSpec = z.infer<typeof varSpecSchema>;

export const retryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(20).optional(),
  baseDelayMs: z.number().min(0).max(600_000).optional(),
  multiplier: z.number().min(1).max(10).optional(),
  maxDelayMs: z.number().min(0).max(3_600_000).optional(),
  jitter: z.number().min(0).max(1).optional(),
  maxTotalMs: z.number().min(0).max(86_400_000).optional(),
  maxRetryAfterMs: z.number().min(0).max(3_600_000).optional(),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const modelRefSchema = z.object({ provider: z.string().min(1), model: z.string().min(1) });
export type ModelRef = z.infer<typeof modelRefSchema>;

export const recoveryPolicySchema = z.object({
  retry: retryPolicySchema.optional(),
  fallback: z.array(modelRefSchema).max(10).optional(),
  repair: z.object({ maxAttempts: z.number().int().min(0).max(5) }).optional(),
});
export type RecoveryPolicy = z.infer<typeof recoveryPolicySchema>;

const blockBase = {
  id: blockIdSchema,
  name: nameSchema,
  description: z.string().max(10_000).optional(),
  position: positionSchema.optional(),
  routing: z.enum(['first', 'all']).optional(),
  join: z.enum(['any', 'all']).optional(),
  assign: z.record(z.string(), exprSchema).optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
  maxVisits: z.number().int().min(1).max(1_000_000).optional(),
};

export const inputFieldSchema = z.object({
  name: z.string().regex(idPattern, 'An input field name holds only letters, digits and _'),
  type: z.enum(['string', 'number', 'boolean', 'json']).default('string'),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  description: z.string().optional(),
});
export type InputField = z.infer<typeof inputFieldSchema>;

export const inputBlockSchema = z.object({
  ...blockBase,
  type: z.literal('input'),
  fields: z.array(inputFieldSchema).max(100).optional(),
});

export const outputBlockSchema = z.object({
  ...blockBase,
  type: z.literal('output'),
  /** CEL over {input, out, vars}; without it the output is the output of the block that activated it. */
  value: exprSchema.optional(),
});

export const messageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.string(),
});
export type MessageTemplate = z.infer<typeof messageSchema>;

export const selectionPolicySchema = z.object({
  models: z.array(modelRefSchema).min(1).max(20),
  maxP95Ms: z.number().positive().optional(),
  minSuccessRate: z.number().min(0).max(1).optional(),
});
export type SelectionPolicy = z.infer<typeof selectionPolicySchema>;

export const llmBlockSchema = z.object({
  ...blockBase,
  type: z.literal('llm'),
  provider: z.string().min(1, 'Pick a provider'),
  model: z.string().min(1, 'Pick a model'),
  selection: selectionPolicySchema.optional(),
  system: z.string().optional(),
  messages: z.array(messageSchema).max(LIMITS.maxMessages),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string()).max(4).optional(),
  recovery: recoveryPolicySchema.optional(),
});

export const transformBlockSchema = z.object({
  ...blockBase,
  type: z.literal('transform'),
  /** CEL over {input, out, vars}; its value is the block's output. */
  expr: exprSchema,
});

export const transitionSchema = z.object({
  id: z.string().min(1).max(LIMITS.maxIdLength),
  from: z.string(),
  to: z.string(),
  /** CEL condition over {input, out, vars}; absent means always. */
  when: exprSchema.optional(),
  /** Taken (with routing "first") when no other transition's condition holds. */
  else: z.boolean().optional(),
  label: z.string().max(LIMITS.maxNameLength).optional(),
});
export type Transition = z.infer<typeof transitionSchema>;

export const graphLimitsSchema = z.object({
  maxIterations: z.number().int().min(1).max(10_000_000).optional(),
  maxVisitsPerBlock: z.number().int().min(1).max(1_000_000).optional(),
  deadlineMs: z.number().int().min(1).max(86_400_000).optional(),
});

export const graphDefaultsSchema = z.object({
  recovery: recoveryPolicySchema.optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
});

export const budgetHintSchema = z.object({
  maxCostUsd: z.number().min(0).optional(),
  maxLatencyMs: z.number().min(0).optional(),
});

export interface SubGraph {
  name?: string | undefined;
  vars?: Record<string, VarSpec> | undefined;
  defaults?: z.infer<typeof graphDefaultsSchema> | undefined;
  limits?: z.infer<typeof graphLimitsSchema> | undefined;
  blocks: Block[];
  transitions: Transition[];
}

export const compositeBlockSchema = z.object({
  ...blockBase,
  type: z.literal('composite'),
  /** The nested graph's input, built from the parent's state; without it the parent's input passes through. */
  inputMap: z.record(z.string(), exprSchema).optional(),
  get graph(): z.ZodType<SubGraph> {
    return subGraphSchema;
  },
});

export const blockSchema = z.discriminatedUnion('type', [
  inputBlockSchema,
  outputBlockSchema,
  llmBlockSchema,
  transformBlockSchema,
  compositeBlockSchema,
]);

export type InputBlock = z.infer<typeof inputBlockSchema>;
export type OutputBlock = z.infer<typeof outputBlockSchema>;
export type LlmBlock = z.infer<typeof llmBlockSchema>;
export type TransformBlock = z.infer<typeof transformBlockSchema>;
export type CompositeBlock = z.infer<typeof compositeBlockSchema>;
export type Block = InputBlock | OutputBlock | LlmBlock | TransformBlock | CompositeBlock;
export type BlockType = Block['type'];
export const BLOCK_TYPES: readonly BlockType[] = ['input', 'output', 'llm', 'transform', 'composite'];

const graphBody = {
  vars: z
    .record(z.string().regex(idPattern, 'A var name holds only letters, digits and _'), varSpecSchema)
    .optional(),
  defaults: graphDefaultsSchema.optional(),
  limits: graphLimitsSchema.optional(),
  blocks: z.array(blockSchema),
  transitions: z.array(transitionSchema),
};

export const subGraphSchema: z.ZodType<SubGraph> = z.object({ name: nameSchema.optional(), ...graphBody });

export const graphDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION, { error: `schemaVersion must be ${SCHEMA_VERSION}` }),
  name: nameSchema,
  description: z.string().max(10_000).optional(),
  budget: budgetHintSchema.optional(),
  ...graphBody,
});
export type GraphDocument = z.infer<typeof graphDocumentSchema>;
