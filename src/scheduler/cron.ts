import cron from 'node-cron';
import type { App } from '../app.js';
import { addDays, atLocalTime, localTimeOf, toLocalDate } from '../domain/dates.js';
import { checkpoint } from '../store/db.js';
import { enqueueAppraisalReminders } from './appraisal-job.js';
import { enqueueCampaignChases } from './campaign-job.js';
import { enqueueWeeklyDigests } from './digest-job.js';
import type { WorkCalendar } from './calendar.js';
import { asPlanner } from './planner-lock.js';
import { runOnce, type RunMemo, type RunResult } from './run-once.js';

export interface Scheduler {
  readonly calendar: WorkCalendar;
  /** One run at the clock's now (single-flight: a run already going is awaited instead). */
  tick(): Promise<RunResult | undefined>;
  /** Runs every scheduled moment between two instants, day by day (the terminal chat's `:time`). */
  replay(from: Date, to: Date): Promise<void>;
  stop(): void;
}


/**
 * The thin shell around {@link runOnce}: every minute (Asia/Shanghai) and once at start-up, so
 * reminders missed while the bot was down go out once after a restart. It remembers what its last
 * plan depended on, so a minute in which nothing changed only delivers what is pending; the first
 * tick after a start always plans.
 */
export function createScheduler(app: App, opts: { cron?: boolean; calendar?: WorkCalendar } = {}): Scheduler {
  const calendar = opts.calendar ?? app.calendar;
  let running: Promise<RunResult | undefined> | undefined;
  const memo: RunMemo = {};
  let lastHourlyJobs = '';
  const warnedYears = new Set<number>();
  const runAt = async (now: Date): Promise<RunResult> => {
    // This year's and next year's holidays must be known; otherwise say so once (reminders fall back to Monday–Friday).
    const year = Number(toLocalDate(now).slice(0, 4));
    for (const y of [year, year + 1]) {
      if (warnedYears.has(y) || calendar.yearKnown(y)) continue;
      warnedYears.add(y);
      app.log.info({ year: y }, 'holidays of this year are not known (holiday package not updated, no HOLIDAYS_FILE days): reminders use Monday–Friday and fixed-date holidays');
    }
    // Once per local hour: the supervisors' weekly digest and the chasing of units a campaign is
    // waiting for. They only write the outbox; the run below delivers them with the reminders.
    const hourKey = `${toLocalDate(now)}T${localTimeOf(now).hour}`;
    checkpoint(app.db);
    if (hourKey !== lastHourlyJobs) {
      try {
        // Planning work: one instance at a time (an instance that is not the planner tries again next minute).
        const done = await asPlanner(app.db, async (q) => {
          await enqueueWeeklyDigests(q, app.config, calendar, now);
          await enqueueCampaignChases(q, app.config, calendar, now);
          await enqueueAppraisalReminders(q, app.config, calendar, now);
        });
        if (done) lastHourlyJobs = hourKey;
      } catch (err) {
        lastHourlyJobs = hourKey;
        app.log.error({ err: err instanceof Error ? err.message : String(err) }, 'digest or campaign job failed');
      }
    }
    return runOnce({ db: app.db, config: app.config, calendar, clock: app.clock, log: app.log, send: (t, m) => app.send(t, m), channelNames: [...app.channels.keys()] }, now, memo);
  };
  /** A run, reported to the app's observer (metrics) with its duration by the app's clock. */
  const observedRunAt = async (now: Date): Promise<RunResult> => {
    const observer = app.observer;
    if (!observer) return runAt(now);
    const started = app.clock.now().getTime();
    const seconds = () => (app.clock.now().getTime() - started) / 1000;
    try {
      const r = await runAt(now);
      observer.schedulerRan({ planned: r.planned, messages: r.messages, ...r.delivery }, seconds());
      return r;
    } catch (err) {
      observer.schedulerRan(undefined, seconds());
      throw err;
    }
  };
  const tick = async (): Promise<RunResult | undefined> => {
    if (running) return running;
    running = observedRunAt(app.clock.now())
      .catch((err: unknown) => {
        app.log.error({ err: err instanceof Error ? err.message : String(err) }, 'scheduler run failed');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const task = opts.cron === false ? undefined : cron.schedule('* * * * *', () => void tick(), { timezone: 'Asia/Shanghai' });
  return {
    calendar,
    tick,
    async replay(from, to) {
      // Each day passed: a run at the end of that day (or at `to` on its last day).
      for (let day = toLocalDate(from); day <= toLocalDate(to); day = addDays(day, 1)) {
        const endOfDay = atLocalTime(day, 23, 59);
        const at = endOfDay < to ? endOfDay : to;
        if (at <= from) continue;
        if (running) await running;
        await observedRunAt(at).catch((err: unknown) => app.log.error({ err: err instanceof Error ? err.message : String(err) }, 'scheduler replay failed'));
      }
    },
    stop() {
      void task?.stop();
    },
  };
}
