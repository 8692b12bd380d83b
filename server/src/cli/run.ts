import type { RunEvent } from '@graphwright/shared';
import { EnvError, loadEnv } from '../env';
import { createServices } from '../services';
import type { CliIo } from './gw';
import { readGraphFile } from './validate';

const USAGE = 'Usage: pnpm gw run <graph.json> [--input key=value ...] [--provider id] [--json]\n';

function parseValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * Runs a graph headless through the same engine, LLM service and stores as the server (the data
 * folder of GW_DATA_DIR): a progress line per block on a terminal, a JSON summary with --json.
 */
export async function runCommand(args: readonly string[], io: CliIo & { isTty?: boolean }): Promise<number> {
  const input: Record<string, unknown> = {};
  let provider: string | undefined;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--json') json = true;
    else if (a === '--provider') provider = args[++i];
    else if (a === '--input') {
      const kv = args[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq <= 0) {
        io.err(`--input takes key=value, got "${kv}".\n${USAGE}`);
        return 2;
      }
      input[kv.slice(0, eq)] = parseValue(kv.slice(eq + 1));
    } else if (a.startsWith('-')) {
      io.err(`Unknown option ${a}.\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1 || (args.includes('--provider') && !provider)) {
    io.err(USAGE);
    return 2;
  }
  const read = readGraphFile(files[0] as string);
  if (!read.ok) {
    io.err(`${read.message}\n`);
    return read.code;
  }
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (e) {
    io.err(`${e instanceof EnvError ? e.message : String(e)}\n`);
    return 2;
  }
  const services = createServices(env);
  try {
    if (provider && !services.llm.providers().some((p) => p.id === provider)) {
      io.err(
        `Unknown provider "${provider}": use one of ${services.llm
          .providers()
          .map((p) => p.id)
          .join(', ')}.\n`,
      );
      return 2;
    }
    const created = services.graphs.create(undefined, read.doc);
    const errors = created.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      io.err(
        `The graph has ${errors.length} error(s); first: ${errors[0]?.message}\nRun "pnpm gw validate ${files[0]}" for all of them.\n`,
      );
      return 1;
    }
    const { runId } = services.runs.start({
      graphId: created.id,
      input,
      options: provider ? { providerOverride: provider } : undefined,
    });
    const started = Date.now();
    let final: RunEvent | undefined;
    for await (const e of services.runs.events(runId, -1)) {
      if (!json) progress(e, io, started);
      if (e.type === 'run_finished' || e.type === 'run_failed' || e.type === 'run_interrupted') final = e;
    }
    await services.runs.waitStored(runId);
    const run = services.runs.get(runId);
    if (json) {
      io.out(
        `${JSON.stringify({ runId, graphId: created.id, status: run?.status, outputs: run?.outputs ?? null, totals: run?.totals ?? null, error: run?.error ?? null })}\n`,
      );
    } else if (final?.type === 'run_finished') {
      io.out(`\noutputs: ${JSON.stringify(final.outputs, null, 2)}\n`);
    }
    return run?.status === 'finished' ? 0 : 1;
  } finally {
    await services.close();
  }
}

function progress(e: RunEvent, io: CliIo, started: number): void {
  const t = `${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(7);
  const where = (p: readonly string[], id: string) => [...p, id].join(' › ');
  switch (e.type) {
    case 'block_started':
      io.out(`${t}  ▶ ${where(e.path, e.blockId)} (${e.blockType})\n`);
      break;
    case 'attempt_finished':
      if (e.record.status !== 'ok')
        io.out(`${t}    ↻ attempt ${e.record.attempt} ${e.record.status}: ${e.record.error ?? ''}\n`);
      break;
    case 'block_finished':
      io.out(`${t}  ✓ ${where(e.path, e.blockId)} ${e.durationMs} ms\n`);
      break;
    case 'block_failed':
      io.out(`${t}  ✗ ${where(e.path, e.blockId)}: ${e.error.message}\n`);
      break;
    case 'run_finished':
      io.out(
        `${t}  done: ${e.totals.blockExecutions} blocks, ${e.totals.attempts} attempts, cost ${e.totals.costUsd === null ? 'unknown' : `$${e.totals.costUsd.toFixed(6)}`}\n`,
      );
      break;
    case 'run_failed':
      io.out(`${t}  failed: ${e.error.message}\n`);
      break;
    default:
  }
}
