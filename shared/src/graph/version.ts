import type { ResolvedRecovery } from './compiled';
import { canonicalJson } from './hash';
import type { Block, GraphDocument, SubGraph } from './schema';

/*
 * Hash inputs are built with JSON.stringify over arrays of fields in a fixed order: the schema
 * fixes the key order of every parsed object except free-form records (output schemas, var
 * specs, assign and input maps), which go through canonicalJson. Flat strings from
 * JSON.stringify also hash much faster than concatenated ones.
 */

/**
 * The text a block's version is hashed from: everything that changes what the block does (model,
 * prompts, output schema, parameters, recovery, timeout, expression), nothing that does not (id,
 * name, position, description, how it is wired).
 */
export function blockVersionText(
  b: Block,
  extra:
    | { recovery?: ResolvedRecovery; timeoutMs?: number | undefined; childHash?: string | undefined }
    | undefined,
): string {
  switch (b.type) {
    case 'input':
      return JSON.stringify(['input', b.fields ?? []]);
    case 'output':
      return JSON.stringify(['output', b.value ?? null]);
    case 'transform':
      return JSON.stringify(['transform', b.expr]);
    case 'llm':
      return JSON.stringify([
        'llm',
        b.provider,
        b.model,
        b.selection ?? null,
        b.system ?? null,
        b.messages,
        b.outputSchema === undefined ? null : canonicalJson(b.outputSchema),
        b.temperature ?? null,
        b.maxTokens ?? null,
        b.topP ?? null,
        b.stop ?? null,
        extra?.recovery ?? null,
        extra?.timeoutMs ?? null,
      ]);
    case 'composite':
      return JSON.stringify([
        'composite',
        b.inputMap ? canonicalJson(b.inputMap) : null,
        extra?.childHash ?? null,
      ]);
  }
}

/** The wiring part of a block: what the graph hash adds to the block's version text. */
function blockWiringText(b: Block): string {
  return JSON.stringify([
    b.id,
    b.name,
    b.routing ?? null,
    b.join ?? null,
    b.assign ? canonicalJson(b.assign) : null,
    b.timeoutMs ?? null,
    b.maxVisits ?? null,
  ]);
}

/** The text the graph's content hash is taken over: block behaviour plus wiring, without positions. */
export function graphHashText(g: GraphDocument | SubGraph, versionTexts: readonly string[]): string {
  const parts: string[] = [
    JSON.stringify([
      g.name ?? '',
      canonicalJson(g.vars ?? {}),
      canonicalJson(g.defaults ?? {}),
      canonicalJson(g.limits ?? {}),
    ]),
  ];
  const blocks = g.blocks;
  for (let i = 0; i < blocks.length; i++) {
    parts.push(blockWiringText(blocks[i] as Block), versionTexts[i] ?? '');
  }
  parts.push(JSON.stringify(g.transitions));
  return parts.join('\n');
}
