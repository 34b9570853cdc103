/**
 * An MCP client transport over a sandboxed process's stdio (MCP specification 2025-06-18, "Transports: stdio":
 * newline-delimited JSON-RPC messages on stdin/stdout, anything on stderr is logging).
 *
 * Unlike the SDK's own stdio transport it never spawns anything itself, and it defends the crawler against the
 * process it talks to: stdout and stderr are capped in bytes ({@link TransportLimits.maxStdoutBytes},
 * {@link TransportLimits.maxStderrBytes}), and so is any one line;
 * lines that are not JSON-RPC are counted and sampled, not fatal; stderr is kept as a bounded tail.
 */
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { killSandboxed, type SandboxedProcess } from '../sandbox.ts';
import { ByteTail } from './tail.ts';

export interface TransportLimits {
  /** Bytes the server may write to stdout over the whole session. @default 32 MiB */
  maxStdoutBytes: number;
  /** Bytes the server may write to stderr over the whole session; only a tail is kept, but reading costs. @default 32 MiB */
  maxStderrBytes: number;
  /** Bytes of stderr kept for the record. @default 4096 */
  stderrTailBytes: number;
  /** Bytes kept of the stdout lines that were not JSON-RPC, for a record of a server that wrote nothing to stderr. @default 2048 */
  noiseTailBytes: number;
}

/** Why a session ended, as seen by the transport. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class SandboxStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly stderr: ByteTail;
  /** Lines on stdout that were not JSON-RPC messages. */
  noiseLines = 0;
  /** The first few such lines, cut to 200 characters. */
  readonly noiseSamples: string[] = [];
  /** The last {@link TransportLimits.noiseTailBytes} of those lines, newline-separated. */
  readonly noiseTail: ByteTail;
  /**
   * Called with each stderr chunk and each stdout line that is not JSON-RPC, as it arrives (UTF-8, a chunk may end
   * mid-line): how a session notices a server that announced something other than an answer.
   */
  onoutput?: (text: string, stream: 'stderr' | 'stdout') => void;
  stdoutBytes = 0;
  stderrBytes = 0;
  /**
   * The stream that passed its cap ({@link TransportLimits.maxStdoutBytes}, {@link TransportLimits.maxStderrBytes});
   * the process is killed then. Null while neither has.
   */
  overflowedStream: 'stdout' | 'stderr' | null = null;
  /** The protocol version the client and server agreed on in `initialize`. */
  protocolVersion: string | null = null;
  /** Set once the process has exited. */
  exit: ExitInfo | null = null;
  readonly exited: Promise<ExitInfo>;

  readonly #child: SandboxedProcess;
  readonly #limits: TransportLimits;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #closed = false;

  constructor(child: SandboxedProcess, limits: Partial<TransportLimits> = {}) {
    this.#child = child;
    this.#limits = { maxStdoutBytes: 32 * 1024 * 1024, maxStderrBytes: 32 * 1024 * 1024, stderrTailBytes: 4096, noiseTailBytes: 2048, ...limits };
    this.stderr = new ByteTail(this.#limits.stderrTailBytes);
    this.noiseTail = new ByteTail(this.#limits.noiseTailBytes);
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
        this.#finish();
      });
      child.once('error', (error) => {
        this.exit = { code: null, signal: null };
        this.onerror?.(error);
        resolve(this.exit);
        this.#finish();
      });
    });
  }

  async start(): Promise<void> {
    this.#child.stdout.on('data', (chunk: Buffer) => this.#onStdout(chunk));
    this.#child.stderr.on('data', (chunk: Buffer) => {
      if (this.overflowed) return;
      this.stderrBytes += chunk.length;
      this.stderr.push(chunk);
      if (this.stderrBytes > this.#limits.maxStderrBytes) return this.#overflow('stderr', this.#limits.maxStderrBytes);
      this.onoutput?.(chunk.toString('utf8'), 'stderr');
    });
    this.#child.stdin.on('error', () => {
      // EPIPE when the server exits early; the exit is reported through `close`.
    });
  }

  #onStdout(chunk: Buffer): void {
    if (this.overflowed) return;
    this.stdoutBytes += chunk.length;
    if (this.stdoutBytes > this.#limits.maxStdoutBytes) return this.#overflow('stdout', this.#limits.maxStdoutBytes);
    let start = 0;
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, index);
      const line = this.#pendingBytes > 0 ? Buffer.concat([...this.#pending, piece]) : piece;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#onLine(line.toString('utf8').replace(/\r$/, ''));
      start = index + 1;
    }
    if (start < chunk.length) {
      this.#pending.push(chunk.subarray(start));
      this.#pendingBytes += chunk.length - start;
    }
  }

  /** Whether stdout or stderr passed its cap ({@link overflowedStream}). */
  get overflowed(): boolean {
    return this.overflowedStream !== null;
  }

  #overflow(stream: 'stdout' | 'stderr', limit: number): void {
    this.overflowedStream = stream;
    this.#pending = [];
    killSandboxed(this.#child);
    this.onerror?.(new Error(`${stream} passed ${limit} bytes`));
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      this.noiseLines += 1;
      if (this.noiseSamples.length < 3) this.noiseSamples.push(line.slice(0, 200));
      this.noiseTail.push(Buffer.from(`${line.slice(0, 1000)}\n`));
      this.onoutput?.(line, 'stdout');
      return;
    }
    this.onmessage?.(message);
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed || this.exit) throw new Error('the server process has exited');
    await new Promise<void>((resolve, reject) => {
      this.#child.stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    killSandboxed(this.#child);
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }
}
