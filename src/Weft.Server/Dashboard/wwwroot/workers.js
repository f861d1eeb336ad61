// Workers, queue and throughput (the server's status), refreshed every two seconds.
import { h, put, api, view, fmtTime, page } from './core.js';

const samples = [];

export async function showWorkers() {
  const body = h('div', {});
  put(view, h('h1', {}, 'Workers and status'), body);
  async function load() {
    const [workers, s] = await Promise.all([api('/workers'), api('/status')]);
    samples.push({ queue: s.queuedTotal, tput: s.throughputPerSecond }); if (samples.length > 90) samples.shift();
    put(body,
      h('table', { class: 'workers', id: 'workers' }, h('thead', {}, h('tr', {}, ['Worker', 'PID', 'Slots', 'Busy', 'Idle', 'Heartbeat'].map(c => h('th', {}, c)))),
        h('tbody', {}, workers.map(w => h('tr', {}, h('td', {}, w.name, w.lost ? ' (lost)' : w.stopped ? ' (stopped)' : ''), h('td', {}, w.pid), h('td', {}, w.slots),
          h('td', {}, w.busy ?? '—'), h('td', {}, w.idle ?? '—'), h('td', {}, fmtTime(w.heartbeatAt)))))),
      h('div', { class: 'cards', id: 'status' },
        card('Health', s.health + (s.reasons.length ? ': ' + s.reasons.join('; ') : '')), card('Active runs', s.activeRuns),
        card('Queued', Object.entries(s.queueDepth).map(([p, n]) => `${p} ${n}`).join(' · ')), card('Throughput', `${s.throughputPerSecond.toFixed(2)}/s`),
        card('Succeeded / failed', `${s.tasksSucceeded} / ${s.tasksFailed}`), card('Cache hit rate', s.cacheHitRate === null ? '—' : `${(s.cacheHitRate * 100).toFixed(0)}%`),
        card('Memory', `${(s.workingSetBytes / 1048576).toFixed(0)} MiB`)),
      h('div', { class: 'charts' }, chart('Queue depth', samples.map(x => x.queue)), chart('Throughput (tasks/s)', samples.map(x => x.tput))),
      h('h2', {}, 'Alerts'), s.alerts.length ? h('ul', {}, s.alerts.map(a => h('li', {}, a))) : h('p', { class: 'muted' }, 'None.'),
      h('h2', {}, 'Circuit breakers'), Object.keys(s.breakers).length ? h('ul', {}, Object.entries(s.breakers).map(([k, v]) => h('li', {}, `${k}: ${v}`))) : h('p', { class: 'muted' }, 'None.'));
  }
  page.every(2000, () => load().catch(() => {})); // before the first await: a page left while loading stops it
  await load();
}

const card = (label, value) => h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'value' }, value));

function chart(label, values) {
  const W = 360, H = 100, max = Math.max(1, ...values);
  const pts = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * W},${H - (v / max) * (H - 10)}`).join(' ');
  return h('figure', { class: 'chart' }, h('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}` }, h('polyline', { points: pts })),
    h('figcaption', {}, `${label} (max ${max.toFixed(1)})`));
}
