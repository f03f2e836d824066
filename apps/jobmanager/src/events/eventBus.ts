/**
 * @module
 * In-process bus of job events (status, checkpoint, failure, log). Ids are
 * monotonic per server; each job keeps a bounded ring of recent events so an
 * SSE client can resume with Last-Event-ID. Rings are kept for the jobs that
 * published most recently only: a server that has run a million jobs must
 * not hold an event ring for each.
 */
import type { JobEventDto } from '@flinknet/contracts';

export type NewJobEvent = Omit<JobEventDto, 'id' | 'at'> & { at?: string };
type Listener = (event: JobEventDto) => void;

/** Publishes job events and replays the recent ones of a job. */
export class EventBus {
  #nextId = 1;
  readonly #rings = new Map<string, JobEventDto[]>();
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly ringSize = 1000,
    private readonly now: () => number = Date.now,
    /** Rings kept: the least recently published jobs' rings go first, in batches of a tenth. */
    private readonly maxJobs = 10_000,
  ) {}

  /** Stores and delivers an event; returns it with its id. */
  publish(event: NewJobEvent): JobEventDto {
    const full: JobEventDto = {
      ...event,
      id: this.#nextId++,
      at: event.at ?? new Date(this.now()).toISOString(),
    };
    // Re-inserted on every event, so the map's order is that of the latest events.
    let ring = this.#rings.get(full.jobId);
    if (ring) this.#rings.delete(full.jobId);
    else ring = [];
    this.#rings.set(full.jobId, ring);
    if (this.#rings.size > this.maxJobs + Math.ceil(this.maxJobs / 10)) this.#evictOldest();
    ring.push(full);
    if (ring.length > this.ringSize) ring.splice(0, ring.length - this.ringSize);
    for (const listener of this.#listeners.get(full.jobId) ?? []) listener(full);
    return full;
  }

  /**
   * Drops the oldest rings down to `maxJobs`, in one pass: dropping one per
   * event made every publish skip the holes earlier deletes left at the
   * front of the map, thousands of them once it was full.
   */
  #evictOldest(): void {
    let excess = this.#rings.size - this.maxJobs;
    for (const jobId of this.#rings.keys()) {
      if (excess-- <= 0) break;
      this.#rings.delete(jobId);
    }
  }

  /** Events of a job with an id above `afterId`, oldest first. */
  replay(jobId: string, afterId: number): JobEventDto[] {
    return (this.#rings.get(jobId) ?? []).filter((e) => e.id > afterId);
  }

  /** Calls `listener` for every new event of the job until the returned function is called. */
  subscribe(jobId: string, listener: Listener): () => void {
    let set = this.#listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(jobId) === set) this.#listeners.delete(jobId);
    };
  }
}
