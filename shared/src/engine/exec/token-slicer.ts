import type { EngineContext } from './context';
import { TIMER_DONE } from './run-ctx';

/** The shortest time between two token_delta events of one attempt. */
export const TOKEN_SLICE_MS = 50;

/**
 * Streamed text reaches the event stream in slices: the first piece at once (time to first token
 * stays visible), then whatever arrived within each `TOKEN_SLICE_MS` window as one event. A model
 * streaming 60 tokens/s yields ~20 events/s instead of 60 and an instant one two events, so a long
 * answer is not hundreds of stored rows. Windows wait through the injected sleep (no timers here);
 * `flush` emits what is buffered, and is called before the attempt's record so no text is lost.
 */
export class TokenSlicer {
  private buffered = '';
  private window: AbortController | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly emit: (text: string) => void,
  ) {}

  push(text: string): void {
    if (this.window) {
      this.buffered += text;
      return;
    }
    this.emit(text);
    this.open();
  }

  /** Emits the buffered text now and closes the window. */
  flush(): void {
    if (this.window) {
      this.window.abort(TIMER_DONE);
      this.window = undefined;
    }
    if (this.buffered !== '') {
      const text = this.buffered;
      this.buffered = '';
      this.emit(text);
    }
  }

  private open(): void {
    const w = new AbortController();
    this.window = w;
    void this.ctx.sleep(TOKEN_SLICE_MS, w.signal).then(() => {
      if (this.window !== w) return;
      this.window = undefined;
      if (this.buffered === '') return;
      const text = this.buffered;
      this.buffered = '';
      this.emit(text);
      this.open();
    });
  }
}
