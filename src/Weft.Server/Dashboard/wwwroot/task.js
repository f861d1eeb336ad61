// One task of a run: every attempt with its output, stderr, error, exit code, worker and timings;
// Approve / Reject for a task waiting on a signal; Retry for a task that failed in a finished run.
import { h, put, api, post, view, badge, fmtTime, duration, relative, enc, action, FINAL } from './core.js';
import { follow } from './run.js';
import { canRetryTask, retryTask } from './retry.js';

export async function showTask(runId, taskId) {
  let run = null, key = '';
  const outputs = new Map(); // attempt number → its output text, fetched once it can no longer change
  const header = h('div', {});
  const message = h('p', { class: 'error', id: 'task-message' });
  const signal = h('div', { id: 'signal' });
  const attempts = h('div', { id: 'attempts' });
  put(view, header, message, signal, attempts);

  async function refresh() {
    run = await api(`/runs/${enc(runId)}`);
    const t = run.tasks.find(x => x.taskId === taskId);
    if (!t) { put(header, h('p', { class: 'error' }, `Run ${runId} has no task '${taskId}'.`)); return; }
    const next = JSON.stringify([run.state, t.state, t.attempts, t.attemptHistory, t.waitReason, t.retryDueAt, t.error]);
    if (next === key) return;
    key = next;
    put(header,
      h('p', { class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), ' › ', h('a', { href: `#/runs/${enc(runId)}`, id: 'back-to-run' }, `${run.workflow} ${runId.slice(0, 12)}`), ' › ', t.taskId),
      h('h1', {}, t.taskId, ' ', h('span', { id: 'task-state' }, badge(t.state))),
      h('p', {}, `${t.kind} · ${t.attempts} attempt(s) · took ${duration(t.startedAt, t.finishedAt)}`),
      t.dependsOn.length ? h('p', { class: 'muted' }, 'after ', t.dependsOn.map((d, i) => [i ? ', ' : '', h('a', { href: `#/runs/${enc(runId)}/tasks/${enc(d)}` }, d)])) : null,
      t.waitReason ? h('p', { class: 'muted', id: 'wait-reason' }, t.waitReason) : null,
      t.retryDueAt ? h('p', {}, 'Next attempt ', relative(t.retryDueAt)) : null,
      canRetryTask(run, t) ? retryTask('task-retry', runId, taskId, message) : null);
    renderSignal(t);
    const cards = await Promise.all(t.attemptHistory.slice().reverse().map(a => attempt(t, a)));
    put(attempts, cards.length ? cards : h('p', { class: 'muted' }, 'No attempt has started yet.'));
  }

  // The signal endpoint answers a `wait: signal` task; data is optional JSON handed to the task.
  function renderSignal(t) {
    if (t.state !== 'waiting') { put(signal); return; }
    const data = h('textarea', { id: 'signal-data', rows: 3, placeholder: 'Optional JSON data, e.g. {"approvedBy": "me"}' });
    const send = reject => async () => {
      const body = { reject, origin: 'dashboard' };
      if (data.value.trim()) {
        try { body.data = JSON.parse(data.value); } catch (e) { throw new Error(`The data is not valid JSON: ${e.message}`); }
      }
      await post(`/runs/${enc(runId)}/tasks/${enc(taskId)}/signal`, body);
      key = ''; await refresh();
    };
    put(signal, h('div', { class: 'panel' }, h('h2', {}, 'Waiting for a signal'), data,
      h('div', { class: 'controls' }, action('signal-approve', 'Approve', message, send(false)), action('signal-reject', 'Reject', message, send(true)))));
  }

  async function attempt(t, a) {
    const done = a.finishedAt !== null && a.finishedAt !== undefined;
    let text = outputs.get(a.number);
    if (text === undefined) {
      // Null is "nothing kept": no output, or an earlier attempt's on a store that keeps only the latest (in-memory).
      try { text = (await api(`/runs/${enc(runId)}/tasks/${enc(taskId)}/output?attempt=${a.number}`)).output ?? '(no output recorded)'; } catch (e) { text = `(output unavailable: ${e.message})`; }
      if (done) outputs.set(a.number, text);
    }
    const row = (label, value) => h('tr', {}, h('th', {}, label), h('td', {}, value));
    return h('section', { class: 'attempt panel', id: `attempt-${a.number}`, 'data-outcome': a.outcome ?? 'running' },
      h('h2', {}, `Attempt ${a.number} `, badge(a.outcome ?? 'running')),
      h('table', { class: 'facts' }, h('tbody', {},
        row('Started', fmtTime(a.startedAt)), row('Finished', fmtTime(a.finishedAt)), row('Took', duration(a.startedAt, a.finishedAt)),
        row('Exit code', h('span', { class: 'exit-code' }, a.exitCode ?? '—')), a.httpStatus ? row('HTTP status', a.httpStatus) : null,
        row('Worker', a.worker ?? 'this server'))),
      a.error ? [h('h3', {}, 'Error'), h('pre', { class: 'error attempt-error' }, a.error)] : null,
      h('h3', {}, 'Output'), h('pre', { class: 'output attempt-output' }, text || ''),
      a.stderr ? [h('h3', {}, 'Stderr'), h('pre', { class: 'output attempt-stderr' }, a.stderr)] : null);
  }

  follow(runId, () => run && FINAL.includes(run.state), () => run ? refresh() : Promise.resolve()); // before the first await: a page left while loading stops it
  await refresh();
}
