// A one-line progress bar on stderr for runs that take more than a moment. It draws only on a
// terminal, only once the run has taken longer than `delayMs` (a quick run prints nothing), at most
// every `intervalMs`, and erases itself when done, so what is left on the terminal is the report.

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Draw nothing when false (default: whether the stream is a terminal). */
  enabled?: boolean;
  delayMs?: number;
  intervalMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Redraw on a timer between updates (off in tests). */
  tick?: boolean;
}

export class Progress {
  private readonly enabled: boolean;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private phase = '';
  private done = 0;
  private total = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private spin = 0;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.enabled = options.enabled ?? stream.isTTY === true;
    this.delayMs = options.delayMs ?? 300;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    if (this.enabled && options.tick !== false) {
      // Fires while the run waits on files: reading and linting has no count of its own.
      this.timer = setInterval(() => this.draw(false), this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** A new phase (`linting`, `sizing`), with its count of steps when known (0: not known). */
  start(phase: string, total = 0): void {
    this.phase = phase;
    this.done = 0;
    this.total = total;
    this.draw(true);
  }

  update(done: number, total = this.total): void {
    this.done = done;
    this.total = total;
    this.draw(false);
  }

  /** Erases the bar (when one was drawn) and stops the timer. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(force: boolean): void {
    if (!this.enabled || !this.phase) return;
    const t = this.now();
    if (t - this.started < this.delayMs) return;
    if (!force && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.drawn = true;
    const columns = Math.max(40, Math.min(this.stream.columns || 80, 120));
    const label = `layerlint: ${this.phase}`;
    let line: string;
    if (this.total > 0) {
      const ratio = Math.max(0, Math.min(1, this.done / this.total));
      const count = ` ${this.done}/${this.total}`;
      const width = Math.max(10, columns - label.length - count.length - 4);
      const full = Math.round(ratio * width);
      line = `${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}]${count}`;
    } else {
      line = `${label} ${'|/-\\'[this.spin++ % 4]}`;
    }
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  }
}
