/**
 * @module
 * Whether the JobManager knows this TaskManager, and registering (again) when
 * it does not: at start, after a JobManager restart (`registered: false`), or
 * after it forgot us. Callers share one registration attempt.
 */
import type { RegisterRequest, RegisterResponse } from '@flinknet/contracts';
import { backoffDelay, sleep } from './backoff';
import type { ProtocolClient } from './protocolClient';

/** Thrown by `ensure` once the TaskManager is shutting down. */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
  constructor() {
    super('the TaskManager is stopping');
  }
}

export class Registration {
  private current: RegisterResponse | undefined;
  private pending: Promise<RegisterResponse> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly client: Pick<ProtocolClient, 'register'>,
    private readonly request: () => RegisterRequest,
    private readonly log: (message: string) => void = () => {},
    private readonly onForgotten: () => void = () => {},
  ) {}

  /** The answer of the last successful registration, while it is valid. */
  get response(): RegisterResponse | undefined {
    return this.current;
  }

  /** Resolves once registered, retrying with backoff while the JobManager is away. */
  ensure(): Promise<RegisterResponse> {
    if (this.abort.signal.aborted) return Promise.reject(new StoppedError());
    if (this.current) return Promise.resolve(this.current);
    this.pending ??= this.register().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * The JobManager no longer knows us: the next `ensure` registers again, and
   * `onForgotten` runs once (the JobManager redeploys our jobs under new attempts).
   */
  invalidate(): void {
    if (!this.current) return;
    this.log('the JobManager does not know this TaskManager; registering again');
    this.current = undefined;
    this.onForgotten();
  }

  /** Ends any retrying; `ensure` rejects from now on. */
  stop(): void {
    this.abort.abort();
  }

  private async register(): Promise<RegisterResponse> {
    for (let failures = 0; ; ) {
      if (this.abort.signal.aborted) throw new StoppedError();
      try {
        const response = await this.client.register(this.request());
        if (this.abort.signal.aborted) throw new StoppedError();
        this.current = response;
        this.log(
          `registered as ${response.taskManagerId} (heartbeat every ${response.heartbeatIntervalMs} ms)`,
        );
        return response;
      } catch (error) {
        if (error instanceof StoppedError) throw error;
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          this.log(`registration failed (${failures}x), retrying: ${(error as Error).message}`);
        }
        await sleep(backoffDelay(failures), this.abort.signal);
      }
    }
  }
}
