import type { ResolvedRecovery } from './compiled';
import { canonicalJson } from './hash';
import type { Block, GraphDocument, SubGraph } from './schema';

/**
 * The text a block's version is hashed from: everything that changes what the block does (model,
 * prompts, output schema, parameters, recovery, timeout, expression), nothing that does not (id,
 * name, position, description, how it is wired).
 */
export function blockVersionText(
  b: Block,
  extra: { recovery?: ResolvedRecovery; timeoutMs?: number | undefined; childHash?: string | undefined } | undefined,
): string {
  switch (b.type) {
    case 'input':
      return canonicalJson({ t: 'input', fields: b.fields ?? [] });
    case 'output':
      return canonicalJson({ t: 'output', value: b.value ?? null });
    case 'transform':
      return canonicalJson({ t: 'transform', expr: b.expr });
    case 'llm':
      return canonicalJson({
        t: 'llm',
        provider: b.provider,
        model: b.model,
        selection: b.selection,
        system: b.system,
        messages: b.messages,
        outputSchema: b.outputSchema,
        temperature: b.temperature,
        maxTokens: b.maxTokens,
        topP: b.topP,
        stop: b.stop,
        recovery: extra?.recovery,
        timeoutMs: extra?.timeoutMs,
      });
    case 'composite':
      return canonicalJson({ t: 'composite', inputMap: b.inputMap ?? {}, child: extra?.childHash ?? null });
  }
}

/** The text the graph's content hash is taken over: block behaviour plus wiring, without positions. */
export function graphHashText(g: GraphDocument | SubGraph, versionTexts: readonly string[]): string {
  const parts: string[] = [
    canonicalJson({ name: g.name ?? '', vars: g.vars ?? {}, defaults: g.defaults ?? {}, limits: g.limits ?? {} }),
  ];
  g.blocks.forEach((b, i) => {
    parts.push(
      canonicalJson({
        id: b.id,
        name: b.name,
        routing: b.routing,
        join: b.join,
        assign: b.assign,
        timeoutMs: b.timeoutMs,
        maxVisits: b.maxVisits,
      }),
      versionTexts[i] ?? '',
    );
  });
  parts.push(canonicalJson(g.transitions));
  return parts.join('\n');
}
