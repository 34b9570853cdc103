/**
 * Progress and logs for people: a progress bar on stderr when it is a terminal, structured JSON logs (pino) on
 * stderr otherwise. Summaries go to stdout either way.
 */
import cliProgress from 'cli-progress';
import pino from 'pino';

export interface Reporter {
  /** Starts a phase of `total` steps. */
  begin(phase: string, total: number): void;
  /** One step done; `fields` go to the log line, `label` to the bar. */
  step(label: string, fields?: Record<string, unknown>): void;
  /** Ends the current phase. */
  end(): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Chooses the bar on a TTY, JSON logs otherwise (`MCP_CATALOGUE_LOG=json` forces logs). */
export function createReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  const interactive = stream.isTTY === true && process.env.MCP_CATALOGUE_LOG !== 'json' && process.env.CI !== 'true';
  return interactive ? new BarReporter(stream) : new LogReporter(stream);
}

class LogReporter implements Reporter {
  readonly #log: pino.Logger;
  #phase = '';
  #done = 0;
  #total = 0;

  constructor(stream: NodeJS.WritableStream) {
    this.#log = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  }
  begin(phase: string, total: number): void {
    this.#phase = phase;
    this.#done = 0;
    this.#total = total;
    this.#log.info({ phase, total }, `${phase}: started`);
  }
  step(label: string, fields: Record<string, unknown> = {}): void {
    this.#done += 1;
    this.#log.info({ phase: this.#phase, done: this.#done, total: this.#total, ...fields }, `${this.#phase}: ${label}`);
  }
  end(): void {
    this.#log.info({ phase: this.#phase, done: this.#done }, `${this.#phase}: finished`);
  }
  info(message: string, fields: Record<string, unknown> = {}): void {
    this.#log.info(fields, message);
  }
  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.#log.warn(fields, message);
  }
}

class BarReporter implements Reporter {
  readonly #stream: NodeJS.WriteStream;
  #bar: cliProgress.SingleBar | null = null;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }
  begin(phase: string, total: number): void {
    this.#bar = new cliProgress.SingleBar(
      { format: `${phase.padEnd(10)} {bar} {value}/{total} | {eta_formatted} left | {label}`, stream: this.#stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(total, 0, { label: '' });
  }
  step(label: string): void {
    this.#bar?.increment(1, { label: label.slice(0, 60) });
  }
  end(): void {
    this.#bar?.stop();
    this.#bar = null;
  }
  info(message: string): void {
    if (this.#bar) return;
    this.#stream.write(`${message}\n`);
  }
  warn(message: string): void {
    this.#stream.write(`warning: ${message}\n`);
  }
}
