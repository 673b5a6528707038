import type { MeetingView } from './meeting.js';

/**
 * One traffic light per unit: red when anything is overdue, yellow when a deadline is within
 * 3 days or an item was extended, green otherwise.
 */
export function trafficLight(view: Pick<MeetingView, 'steps' | 'items' | 'phase'>): 'green' | 'yellow' | 'red' {
  if (view.phase === 'cancelled' || view.phase === 'completed') return 'green';
  if (view.items.overdue > 0 || view.steps.some((s) => s.status === 'overdue')) return 'red';
  if (view.items.extended > 0 || view.items.dueSoon > 0 || view.steps.some((s) => s.status === 'due_soon')) return 'yellow';
  return 'green';
}
