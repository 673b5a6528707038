/**
 * What the running bot reports about itself, for metrics (src/health/metrics.ts). The command
 * pipeline and the scheduler call it; nothing in them depends on who listens.
 * @example const observer: Observer = { commandHandled: (c, o) => log.info({ c, o }), schedulerRan: () => undefined };
 */

/**
 * How a command ended: `ok` (handled and committed), `refused` (a user error: wrong input,
 * no permission — rolled back, answered in Chinese), `invalid` (the text did not parse), `failed`
 * (an unexpected error, answered with 系统繁忙), `duplicate` (a redelivered message, handled before).
 */
export type CommandOutcome = 'ok' | 'refused' | 'invalid' | 'failed' | 'duplicate';

/** One scheduler run: reminders planned, messages written, and the delivery pass that followed. */
export interface SchedulerRunReport {
  planned: number;
  messages: number;
  sent: number;
  retrying: number;
  failed: number;
}

export interface Observer {
  /** `command` is the parsed command's kind (`progress`, `talk.record`, …), or `unparsed`. */
  commandHandled(command: string, outcome: CommandOutcome): void;
  /** A run of the scheduler and how long it took (by the injected clock); `undefined` when the run failed. */
  schedulerRan(report: SchedulerRunReport | undefined, seconds: number): void;
}
