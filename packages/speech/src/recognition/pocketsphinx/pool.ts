import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SpeechError } from '../../errors.js';
import { lastLines } from '../../util/process.js';
import { parseCtm, parseHypseg, realWords, type CtmLine, type Hypseg } from './output.js';

/** Everything that defines a warm decoder: processes are shared only between identical setups. */
export interface DecoderSetup {
  binary: string;
  hmm: string;
  lm: string;
  dict: string;
  /** Filler words of the acoustic model (its noisedict): never in the CTM output. */
  fillers: ReadonlySet<string>;
  extraArgs: readonly string[];
}

export interface UtteranceRequest {
  /** Raw 16 kHz s16le file, without its ".raw" extension (pocketsphinx adds -cepext). */
  base: string;
  startFrame: number;
  endFrame: number;
}

export interface DecodedWord {
  word: string;
  /** Frames (1/100 s) from the start of the utterance. */
  startFrame: number;
  endFrame: number;
  confidence: number | null;
}

export interface UtteranceResult {
  words: DecodedWord[];
}

interface Pending {
  uttid: string;
  request: UtteranceRequest;
  resolve: (r: UtteranceResult) => void;
  reject: (e: Error) => void;
  hypseg?: Hypseg;
  expected: number;
  ctm: CtmLine[];
  timer?: NodeJS.Timeout;
}

let uttCounter = 0;

/**
 * One long-lived pocketsphinx_batch process: the models load once, then utterances are fed through its control
 * file (stdin) and read back from -hypseg and -ctm (stdout), which pocketsphinx writes unbuffered in that order.
 */
class DecoderProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private stderrTail = '';
  private current: Pending | null = null;
  dead = false;

  constructor(
    private readonly setup: DecoderSetup,
    private readonly onExit: (proc: DecoderProcess) => void,
  ) {
    const args = [
      '-hmm',
      setup.hmm,
      '-lm',
      setup.lm,
      '-dict',
      setup.dict,
      '-adcin',
      'yes',
      '-cepext',
      '.raw',
      '-ctl',
      '/dev/stdin',
      '-hypseg',
      '/dev/stdout',
      '-ctm',
      '/dev/stdout',
      ...setup.extraArgs,
    ];
    // Node's stdio are socketpairs, which pocketsphinx cannot fopen() as /dev/stdin or /dev/stdout: `cat` on
    // each side turns them into real pipes. Its own process group lets a timeout kill the whole pipeline.
    this.child = spawn('sh', ['-c', 'cat | "$0" "$@" | cat', setup.binary, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-16_384);
      // An unreadable input skips the utterance without any output: fail that request, keep the process.
      const cur = this.current;
      if (cur && /Failed to open .*\.raw/.test(chunk)) {
        this.finish(cur);
        cur.reject(new SpeechError('ENGINE_FAILED', `pocketsphinx could not read ${cur.request.base}.raw`));
      }
    });
    this.child.stdin.on('error', () => {});
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(
        error.code === 'ENOENT'
          ? new SpeechError(
              'ENGINE_UNAVAILABLE',
              `${setup.binary} is not installed (Debian package pocketsphinx)`,
            )
          : new SpeechError('ENGINE_FAILED', `pocketsphinx could not start: ${error.message}`),
      );
    });
    this.child.on('exit', (code, signal) => {
      const errors = this.stderrTail
        .split('\n')
        .filter((l) => /ERROR|FATAL/.test(l))
        .slice(-3)
        .join(' | ');
      this.fail(
        new SpeechError(
          'ENGINE_FAILED',
          `pocketsphinx exited (${code ?? signal}): ${errors || lastLines(this.stderrTail, 3)}`,
          {
            exitCode: code,
            stderr: lastLines(this.stderrTail, 20),
          },
        ),
      );
    });
    this.setRef(false);
  }

  get busy(): boolean {
    return this.current !== null;
  }

  decode(request: UtteranceRequest, timeoutMs: number): Promise<UtteranceResult> {
    if (this.dead) return Promise.reject(new SpeechError('ENGINE_FAILED', 'pocketsphinx process is gone'));
    if (this.current) return Promise.reject(new Error('decoder busy'));
    if (/\s/.test(request.base)) {
      return Promise.reject(
        new SpeechError('INVALID_CONFIG', `pocketsphinx cannot read paths with spaces: ${request.base}`),
      );
    }
    return new Promise((resolve, reject) => {
      const uttid = `u${++uttCounter}`;
      const pending: Pending = { uttid, request, resolve, reject, expected: -1, ctm: [] };
      pending.timer = setTimeout(() => {
        this.kill();
        this.fail(
          new SpeechError(
            'ENGINE_TIMEOUT',
            `pocketsphinx took longer than ${Math.round(timeoutMs / 1000)} s on one chunk`,
          ),
        );
      }, timeoutMs);
      this.current = pending;
      this.setRef(true);
      this.child.stdin.write(`${request.base} ${request.startFrame} ${request.endFrame} ${uttid}\n`);
    });
  }

  kill(): void {
    this.dead = true;
    this.child.stdin.end();
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** Close stdin: pocketsphinx finishes and exits by itself. */
  close(): void {
    this.dead = true;
    this.child.stdin.end();
  }

  private setRef(ref: boolean): void {
    // An idle warm process must not keep a CLI or a test run alive.
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{
      ref?: () => void;
      unref?: () => void;
    }>;
    for (const h of handles) (ref ? h.ref : h.unref)?.call(h);
  }

  private onStdout(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const cur = this.current;
    if (!cur) return;
    const hypseg = parseHypseg(line);
    if (hypseg) {
      if (hypseg.uttid !== cur.uttid) return;
      cur.hypseg = hypseg;
      cur.expected = realWords(hypseg, this.setup.fillers).length;
    } else {
      const ctm = parseCtm(line);
      if (ctm && ctm.uttid === cur.uttid) cur.ctm.push(ctm);
    }
    if (cur.hypseg && cur.ctm.length >= cur.expected) this.complete(cur);
  }

  private complete(cur: Pending): void {
    const hyp = cur.hypseg as Hypseg;
    const words = realWords(hyp, this.setup.fillers).map((w, i) => {
      const ctm = cur.ctm[i];
      return {
        word: ctm?.word ?? w.token.replace(/\(\d+\)$/, ''),
        startFrame: w.startFrame,
        endFrame: w.endFrame,
        confidence: ctm ? ctm.confidence : null,
      };
    });
    this.finish(cur);
    cur.resolve({ words });
  }

  private finish(cur: Pending): void {
    if (cur.timer) clearTimeout(cur.timer);
    this.current = null;
    this.setRef(false);
    if (!this.dead) this.onExitOrIdle();
  }

  private onExitOrIdle(): void {
    this.onExit(this);
  }

  private fail(error: Error): void {
    const wasDead = this.dead;
    this.dead = true;
    const cur = this.current;
    if (cur) {
      if (cur.timer) clearTimeout(cur.timer);
      this.current = null;
      cur.reject(error);
    }
    if (!wasDead || cur) this.onExit(this);
  }
}

interface Queued {
  request: UtteranceRequest;
  timeoutMs: number;
  resolve: (r: UtteranceResult) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
}

/**
 * Up to `size` warm decoder processes for one setup, with a queue in front. Idle processes are closed after
 * idleMs; a crashed one is replaced on the next request.
 */
export class DecoderPool {
  private readonly procs: DecoderProcess[] = [];
  private readonly queue: Queued[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly setup: DecoderSetup,
    private readonly size: number,
    private readonly idleMs: number,
  ) {}

  decode(
    request: UtteranceRequest,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<UtteranceResult> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new SpeechError('CANCELLED', 'transcription was cancelled'));
        return;
      }
      const job: Queued = { request, timeoutMs: options.timeoutMs, resolve, reject, signal: options.signal };
      this.queue.push(job);
      // A cancelled job leaves the queue at once; one already in a decoder finishes its chunk.
      options.signal?.addEventListener(
        'abort',
        () => {
          const i = this.queue.indexOf(job);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new SpeechError('CANCELLED', 'transcription was cancelled'));
          }
        },
        { once: true },
      );
      this.pump();
    });
  }

  get running(): number {
    return this.procs.length;
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of this.procs.splice(0)) p.close();
    for (const q of this.queue.splice(0)) q.reject(new SpeechError('CANCELLED', 'recognizer closed'));
  }

  private pump(): void {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    while (this.queue.length > 0) {
      let proc = this.procs.find((p) => !p.busy && !p.dead);
      if (!proc && this.procs.length < this.size) {
        proc = new DecoderProcess(this.setup, (p) => this.onProcessEvent(p));
        this.procs.push(proc);
      }
      if (!proc) return;
      const job = this.queue.shift() as Queued;
      if (job.signal?.aborted) {
        job.reject(new SpeechError('CANCELLED', 'transcription was cancelled'));
        continue;
      }
      proc.decode(job.request, job.timeoutMs).then(job.resolve, job.reject);
    }
    this.scheduleIdle();
  }

  private onProcessEvent(proc: DecoderProcess): void {
    if (proc.dead) {
      const i = this.procs.indexOf(proc);
      if (i >= 0) this.procs.splice(i, 1);
    }
    // Defer: the finished request's promise settles first.
    setImmediate(() => this.pump());
  }

  private scheduleIdle(): void {
    if (this.procs.some((p) => p.busy) || this.queue.length > 0 || this.procs.length === 0) return;
    this.idleTimer = setTimeout(() => {
      for (const p of this.procs.splice(0)) p.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
