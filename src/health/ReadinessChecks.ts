/** The result of one readiness check. */
export interface ReadinessResult {
  ok: boolean;
  /** A finding for the admin, such as `gateway connected` or `Ollama unreachable at http://…`. */
  detail?: string;
}

/**
 * A readiness check: returns whether one dependency is usable right now. It should finish quickly; the
 * signal aborts when the check's time is up. A thrown error counts as failed, with its message as detail.
 */
export type ReadinessCheck = (
  signal: AbortSignal,
) => boolean | ReadinessResult | Promise<boolean | ReadinessResult>;

/** A named check's result in a readiness report. */
export interface NamedReadinessResult extends ReadinessResult {
  name: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Names of the failing checks, in registration order. */
  failing: string[];
  checks: NamedReadinessResult[];
}

/** Time one check may take before it counts as failed, in milliseconds. */
export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;

/**
 * The named checks behind `/readyz`. Adapters and the store register theirs (gateway connected, store
 * reachable, vision backend reachable); all run in parallel on each request, each with a time limit.
 */
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {}

  /** Adds a check, replacing one with the same name; returns a function that removes it. */
  register(name: string, check: ReadinessCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  /** Names of the registered checks. */
  get names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check; ready only when all pass (and trivially ready when none are registered). */
  async run(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const checks = await Promise.all(entries.map(([name, check]) => this.runOne(name, check)));
    const failing = checks.filter((check) => !check.ok).map((check) => check.name);
    return { ready: failing.length === 0, failing, checks };
  }

  private async runOne(name: string, check: ReadinessCheck): Promise<NamedReadinessResult> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ReadinessResult>((resolve) => {
      timer = setTimeout(() => {
        // Settle first: a check that resolves on abort must not win the race and pass.
        resolve({ ok: false, detail: `check timed out after ${this.checkTimeoutMs} ms` });
        controller.abort();
      }, this.checkTimeoutMs);
      timer.unref();
    });

    try {
      const result = await Promise.race([Promise.resolve(check(controller.signal)), timeout]);
      return typeof result === 'boolean' ? { name, ok: result } : { name, ...result };
    } catch (error) {
      return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
