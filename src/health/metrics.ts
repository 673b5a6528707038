import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommandOutcome, Observer, SchedulerRunReport } from '../observer.js';
import type { HealthReport } from './probe.js';

/**
 * The bot's Prometheus metrics (`/metrics`), in a registry of its own (no global state: every app
 * has its own). Counters and the run histogram are fed by the {@link Observer} calls of the
 * command pipeline and the scheduler; the gauges are set from a health probe when scraped.
 * @example const metrics = new BotMetrics(); metrics.commandHandled('progress', 'ok'); await metrics.render(report);
 */
export class BotMetrics implements Observer {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: 'shenghuohui_commands_total',
    help: 'Commands handled, by command kind and outcome (ok, refused, invalid, failed, duplicate)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly planned = new Counter({
    name: 'shenghuohui_reminders_planned_total',
    help: 'Reminders planned by the scheduler (each written once under its key)',
    registers: [this.registry],
  });
  private readonly messages = new Counter({
    name: 'shenghuohui_outbox_messages_written_total',
    help: 'Reminder messages written to the outbox by the scheduler',
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'shenghuohui_outbox_deliveries_total',
    help: 'Outbox send attempts, by outcome (sent, retrying, failed: given up or permanent error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly runs = new Histogram({
    name: 'shenghuohui_scheduler_run_duration_seconds',
    help: 'Duration of a scheduler run (plan, write, deliver), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly dbUp = new Gauge({ name: 'shenghuohui_db_up', help: '1 when the database answers select 1, else 0', registers: [this.registry] });
  private readonly backlog = new Gauge({ name: 'shenghuohui_outbox_pending', help: 'Messages waiting in the outbox (including retries)', registers: [this.registry] });
  private readonly oldest = new Gauge({
    name: 'shenghuohui_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox message, in seconds (0 when none)',
    registers: [this.registry],
  });
  private readonly channelUp = new Gauge({
    name: 'shenghuohui_channel_up',
    help: '1 when the platform channel can send and receive now (connected, push-only or local), else 0',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  /** `defaults`: also the process's own metrics (CPU, memory, event loop, GC), as prom-client collects them. */
  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults) collectDefaultMetrics({ register: this.registry });
  }

  commandHandled(command: string, outcome: CommandOutcome): void {
    this.commands.inc({ command, outcome });
  }

  schedulerRan(report: SchedulerRunReport | undefined, seconds: number): void {
    this.runs.observe({ outcome: report ? 'ok' : 'failed' }, seconds);
    if (!report) return;
    this.planned.inc(report.planned);
    this.messages.inc(report.messages);
    this.deliveries.inc({ outcome: 'sent' }, report.sent);
    this.deliveries.inc({ outcome: 'retrying' }, report.retrying);
    this.deliveries.inc({ outcome: 'failed' }, report.failed);
  }

  /** The text exposition, with the gauges set from `report` (a probe taken for this scrape). */
  async render(report: HealthReport): Promise<string> {
    this.dbUp.set(report.database.reachable ? 1 : 0);
    // Without a database the backlog is unknown: the gauges keep their last value rather than claim 0.
    if (report.outbox) {
      this.backlog.set(report.outbox.pending);
      this.oldest.set(report.outbox.oldestPendingAgeSeconds);
    }
    for (const c of report.channels) this.channelUp.set({ channel: c.name }, c.up ? 1 : 0);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
