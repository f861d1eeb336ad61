// Retry one task of a finished run and what depends on it: POST /runs/{id}/retry with {tasks},
// which starts a new run (what succeeded is reused as cached) and opens it. Shown only where the
// API would take it: a finished run, a task that failed, timed out, failed upstream or was cancelled.
import { h, post, enc, action, FINAL } from './core.js';

export const RETRYABLE = ['failed', 'timed_out', 'upstream_failed', 'cancelled'];

export const canRetryTask = (run, t) => FINAL.includes(run.state) && RETRYABLE.includes(t.state);

export function retryTask(id, runId, taskId, message) {
  return h('div', { class: 'controls', id: `${id}-controls` },
    action(id, 'Retry', message, async () => {
      const r = await post(`/runs/${enc(runId)}/retry`, { tasks: [taskId] });
      location.hash = `#/runs/${enc(r.runId)}`;
    }),
    h('span', { class: 'muted' }, ' this task and what depends on it, in a new run'));
}
