import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { TranslateError } from '../../errors.js';

export interface PipelineOptions {
  /** Name for messages, e.g. the mode `eng-spa`. */
  readonly name: string;
  /** A shell command that reads NUL-terminated requests and answers each with a NUL-terminated response. */
  readonly command: string;
  /** No answer to the oldest request within this (plus `timeoutPerCharMs` per character) kills the pipeline. */
  readonly timeoutMs?: number;
  readonly timeoutPerCharMs?: number;
}

interface Request {
  readonly payload: Buffer;
  readonly resolve: (text: string) => void;
  readonly reject: (error: Error) => void;
  attempts: number;
}

export interface PipelineStats {
  readonly starts: number;
  readonly requests: number;
  readonly running: boolean;
}

/**
 * One long-lived null-flush pipeline. Requests are written as they come (the pipeline answers in order),
 * it is spawned on first use, killed on timeout and respawned on the next request; requests in flight
 * when it dies are sent again once, except the one it was working on when it hung.
 */
export class NullFlushPipeline {
  private child: ChildProcessWithoutNullStreams | null = null;
  private inFlight: Request[] = [];
  private chunks: Buffer[] = [];
  private stderrTail = '';
  private timer: NodeJS.Timeout | null = null;
  private starts = 0;
  private requests = 0;
  private closed = false;

  constructor(private readonly options: PipelineOptions) {}

  /** Sends one request (already in the stream's format, without the NUL) and resolves with the answer. */
  request(payload: string): Promise<string> {
    this.closed = false;
    return new Promise<string>((resolve, reject) => {
      const request: Request = { payload: Buffer.from(`${payload}\0`, 'utf8'), resolve, reject, attempts: 0 };
      this.requests++;
      this.send(request);
    });
  }

  stats(): PipelineStats {
    return { starts: this.starts, requests: this.requests, running: this.child !== null };
  }

  /** Stops the processes; pending requests fail. A later request starts it again. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.setReferenced(child, true); // keep the event loop alive until it has exited
    this.kill(child);
    await exited;
  }

  private send(request: Request): void {
    const child = this.child ?? this.start();
    request.attempts++;
    this.inFlight.push(request);
    this.setReferenced(child, true);
    if (this.inFlight.length === 1) this.armTimer();
    child.stdin.write(request.payload);
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('bash', ['-c', this.options.command], {
      detached: true, // own process group, so a timeout kills every stage
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    this.starts++;
    this.child = child;
    this.chunks = [];
    this.stderrTail = '';
    child.stdout.on('data', (data: Buffer) => this.onData(data));
    child.stderr.on('data', (data: Buffer) => {
      this.stderrTail = (this.stderrTail + data.toString('utf8')).slice(-2000);
    });
    child.stdin.on('error', () => undefined); // EPIPE when a stage died: handled on exit
    child.on('error', (error) => this.onExit(child, `could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(child, `exited (${signal ?? `code ${code}`})`));
    return child;
  }

  private onData(data: Buffer): void {
    let start = 0;
    for (let i = data.indexOf(0); i !== -1; i = data.indexOf(0, start)) {
      this.chunks.push(data.subarray(start, i));
      const text = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      start = i + 1;
      const request = this.inFlight.shift();
      request?.resolve(text);
      this.armTimer();
    }
    if (start < data.length) this.chunks.push(data.subarray(start));
    if (this.inFlight.length === 0 && this.child) this.setReferenced(this.child, false);
  }

  private onExit(child: ChildProcessWithoutNullStreams, how: string): void {
    if (this.child !== child) return;
    this.child = null;
    this.clearTimer();
    const pending = this.inFlight;
    this.inFlight = [];
    const stderr = this.stderrTail.trim();
    for (const request of pending) {
      if (this.closed) {
        request.reject(
          new TranslateError('ENGINE_UNAVAILABLE', `Apertium ${this.options.name} was closed`, {
            pair: this.options.name,
          }),
        );
      } else if (request.attempts >= 2) {
        request.reject(
          new TranslateError(
            'ENGINE_FAILED',
            `Apertium ${this.options.name} ${how}${stderr ? `: ${stderr}` : ''}`,
            {
              pair: this.options.name,
            },
          ),
        );
      } else {
        this.send(request);
      }
    }
  }

  private armTimer(): void {
    this.clearTimer();
    const head = this.inFlight[0];
    if (!head) return;
    const ms =
      (this.options.timeoutMs ?? 20_000) + head.payload.length * (this.options.timeoutPerCharMs ?? 1);
    this.timer = setTimeout(() => this.onTimeout(head, ms), ms);
    this.timer.unref();
  }

  private onTimeout(head: Request, ms: number): void {
    if (this.inFlight[0] !== head || !this.child) return;
    this.inFlight.shift();
    head.reject(
      new TranslateError('ENGINE_TIMEOUT', `Apertium ${this.options.name} gave no answer within ${ms} ms`, {
        pair: this.options.name,
      }),
    );
    this.kill(this.child); // the exit handler sends the other requests to a fresh pipeline
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kill(child: ChildProcessWithoutNullStreams): void {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  /** An idle pipeline must not keep the Node process alive; a busy one must. */
  private setReferenced(child: ChildProcessWithoutNullStreams, referenced: boolean): void {
    const handles = [child, child.stdin, child.stdout, child.stderr] as Array<{
      ref?: () => void;
      unref?: () => void;
    }>;
    for (const handle of handles) (referenced ? handle.ref : handle.unref)?.call(handle);
  }
}
