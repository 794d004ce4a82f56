import type { Config } from '../config/schema.js';
import type { IrisCore } from '../core/createCore.js';
import type { JobSystem } from '../queue/createJobSystem.js';

/** A running platform adapter. */
export interface RunningAdapter {
  name: string;
  /**
   * Stops taking new work: no new interactions, events or commands are accepted. Jobs already running
   * keep their connection, because shutdown waits for them after this returns.
   */
  stop(): Promise<void>;
  /** Closes the connection (gateway, socket, HTTP receiver) once running jobs ended or were aborted. */
  close?(): Promise<void>;
}

/** What the service shares between its adapters, created once per process. */
export interface AdapterServices {
  /** Stores, settings, admission and the job queue; register the platform's handlers, then `queue.restore()`. */
  jobSystem: JobSystem;
}

/** A platform that `npm start` can run. */
export interface AdapterEntry {
  name: string;
  /** The setting whose presence turns this adapter on. */
  tokenVariable: keyof Config;
  /** What to check when the adapter cannot start, e.g. "DISCORD_TOKEN and DISCORD_API_URL". */
  startupHint?: string;
  start(core: IrisCore, services: AdapterServices): Promise<RunningAdapter>;
}
