/**
 * What the orchestrator prints while it runs. On a terminal: one live status
 * line (current gate, elapsed time) redrawn in place, with gate output
 * scrolling above it. Elsewhere (pipes, CI=true): plain lines only, because a
 * CI log keeps every carriage-return frame and turns a spinner into noise.
 */
import pc from 'picocolors';
import type { GateStatus } from '../gate.ts';
import { formatDuration } from './format.ts';

/** A text destination, e.g. `process.stdout`. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Redraw a live status line (terminal, not CI). */
  live: boolean;
  /** Colour the status words (terminal only). */
  color: boolean;
  now: () => number;
  /** Redraw period of the live line in ms. */
  tickMs?: number;
}

const CLEAR_LINE = '\r\u001b[2K';
// One UTF-16 unit per braille frame, so charAt() picks a whole frame.
const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * @example
 * const progress = new Progress(process.stdout, { live: true, color: true, now: Date.now });
 * progress.begin('lint'); progress.line('eslint output'); progress.end('lint', 'passed', 'clean', 1200);
 */
export class Progress {
  readonly #out: Sink;
  readonly #options: ProgressOptions;
  readonly #colors: ReturnType<typeof pc.createColors>;
  #current: { name: string; startedAt: number } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #frame = 0;

  constructor(out: Sink, options: ProgressOptions) {
    this.#out = out;
    this.#options = options;
    this.#colors = pc.createColors(options.color);
  }

  /** Prints one full line, keeping the live status line below it. */
  line(text: string): void {
    this.#erase();
    this.#out.write(`${text}\n`);
    this.#draw();
  }

  begin(name: string): void {
    this.#current = { name, startedAt: this.#options.now() };
    if (!this.#options.live) {
      this.#out.write(`▶ ${name}\n`);
      return;
    }
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), this.#options.tickMs ?? 250);
    // The ticker must never keep the process alive on its own.
    this.#timer.unref();
  }

  end(name: string, status: GateStatus, summary: string, durationMs: number): void {
    this.#stopTicker();
    this.#erase();
    this.#current = undefined;
    const duration = status === 'skipped' ? '' : ` in ${formatDuration(durationMs)}`;
    this.#out.write(`${this.#mark(status)} ${name}: ${this.status(status)}${duration} (${summary})\n`);
  }

  /** The status word, coloured when colours are on. */
  status(status: GateStatus): string {
    if (status === 'passed') return this.#colors.green(status);
    if (status === 'failed') return this.#colors.red(status);
    return this.#colors.yellow(status);
  }

  #mark(status: GateStatus): string {
    if (status === 'passed') return this.#colors.green('✔');
    if (status === 'failed') return this.#colors.red('✖');
    return this.#colors.yellow('○');
  }

  #stopTicker(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #erase(): void {
    if (this.#options.live && this.#current !== undefined) this.#out.write(CLEAR_LINE);
  }

  #draw(): void {
    if (!this.#options.live || this.#current === undefined) return;
    const frame = FRAMES.charAt(this.#frame++ % FRAMES.length);
    const elapsed = formatDuration(this.#options.now() - this.#current.startedAt);
    this.#out.write(`${CLEAR_LINE}${this.#colors.cyan(frame)} ${this.#current.name} ${this.#colors.dim(elapsed)}`);
  }
}
