import type { ReactNode } from 'react';
import { fmtJson, fmtMs, fmtUsd } from './format';
import { type AttemptView, type BlockRunView, retryReason } from './run-state';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/** One attempt of a block: what was sent, what came back, what it cost and why it was made. */
export function AttemptCard({
  block,
  attempt,
  open,
}: {
  block: BlockRunView;
  attempt: AttemptView;
  open: boolean;
}) {
  const r = attempt.record;
  const status = r ? r.status : 'running';
  const reason = retryReason(block, attempt);
  const response = r?.responseText ?? attempt.text;
  return (
    <details
      className={`attempt-card st-${r ? (r.status === 'ok' ? 'done' : 'failed') : 'running'}`}
      open={open}
      data-testid="attempt-card"
      data-status={status}
      data-kind={attempt.kind}
    >
      <summary>
        <strong>#{attempt.attempt}</strong> <span className="tag">{attempt.kind}</span>{' '}
        <span className="attempt-status" data-testid="attempt-status">
          {status}
        </span>{' '}
        · {attempt.model} · {r ? fmtMs(r.latencyMs) : 'in progress'}
        {block.visits.length > 1 ? ` · visit ${attempt.visit}` : ''}
      </summary>
      <dl className="kv">
        <Row label="Status" testId="attempt-status-full">
          {status}
          {r?.error ? `: ${r.error}` : ''}
        </Row>
        <Row label="Model">
          {attempt.provider} / {attempt.model}
        </Row>
        {r?.selectionReason && <Row label="Selected because">{r.selectionReason}</Row>}
        {reason && (
          <Row label="Why this attempt" testId="attempt-reason">
            {reason}
          </Row>
        )}
        {r && (
          <>
            <Row label="Tokens">
              {r.tokensIn} in · {r.tokensOut} out
            </Row>
            <Row label="Cost">{fmtUsd(r.costUsd)}</Row>
            <Row label="Latency">{fmtMs(r.latencyMs)}</Row>
            <Row label="First token">{r.ttftMs !== undefined ? fmtMs(r.ttftMs) : '–'}</Row>
            {r.waitedMs ? <Row label="Waited before">{fmtMs(r.waitedMs)}</Row> : null}
            {r.retryAfterMs !== undefined && <Row label="Retry-After">{fmtMs(r.retryAfterMs)}</Row>}
          </>
        )}
      </dl>
      {r?.request && (
        <section className="attempt-section">
          <h4>Messages sent</h4>
          {r.request.messages.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are fixed once the attempt is recorded
            <div key={i} className="attempt-message">
              <span className="tag">{m.role}</span>
              <pre className="pre">{m.content}</pre>
            </div>
          ))}
        </section>
      )}
      {r ? (
        <section className="attempt-section">
          <h4>Raw response</h4>
          <pre className="pre" data-testid="attempt-response">
            {response || '(empty)'}
          </pre>
        </section>
      ) : (
        <p className="field-hint">In progress: its tokens stream above.</p>
      )}
      {r && r.output !== undefined && (
        <section className="attempt-section">
          <h4>Parsed output</h4>
          <pre className="pre" data-testid="attempt-output">
            {fmtJson(r.output)}
          </pre>
        </section>
      )}
    </details>
  );
}
