// Registered workflows: the list (and a form to register one), and per workflow its versions,
// definition, graph and a form to start a run with parameters.
import { h, put, api, post, view, relative, canChange, enc } from './core.js';
import { createDag } from './dag.js';

export async function showWorkflows() {
  const list = await api('/workflows');
  const error = h('pre', { class: 'error', id: 'register-error' });
  const text = h('textarea', { id: 'register-definition', rows: 8, placeholder: 'name: nightly\ntasks:\n  build:\n    shell: make' });
  put(view, h('h1', {}, 'Workflows'),
    canChange() ? h('details', { class: 'panel' }, h('summary', {}, 'Register a workflow'), text,
      h('button', { id: 'register', onclick: async () => {
        error.textContent = '';
        try { const w = await post('/workflows', { definition: text.value }); location.hash = `#/workflows/${enc(w.name)}`; } catch (e) { error.textContent = e.message; }
      } }, 'Register'), error) : null,
    list.length === 0 ? h('p', { class: 'muted' }, 'No workflow is registered. Register one above, with `weft workflows register`, or POST /api/workflows.')
      : h('table', { class: 'workflows', id: 'workflows' },
        h('thead', {}, h('tr', {}, ['Workflow', 'Version', 'Description', 'Tasks', 'Parameters', 'Schedule', 'Registered'].map(c => h('th', {}, c)))),
        h('tbody', {}, list.map(w => h('tr', { 'data-workflow': w.name },
          h('td', {}, h('a', { href: `#/workflows/${enc(w.name)}` }, w.name)), h('td', {}, `v${w.version}`), h('td', {}, w.description ?? ''),
          h('td', {}, w.tasks), h('td', { class: 'mono' }, w.params.join(', ')), h('td', { class: 'mono' }, w.cron ?? ''), h('td', {}, relative(w.registeredAt)))))));
}

export async function showWorkflow(name, query) {
  const versions = (await api(`/workflows/${enc(name)}`)).versions;
  const latest = Math.max(...versions.map(v => v.version));
  const version = parseInt(query.get('version'), 10) || latest;
  const detail = await api(`/workflows/${enc(name)}/versions/${version}`);
  const w = detail.workflow;
  const graph = h('div', { class: 'dag', id: 'dag' });
  put(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/workflows' }, 'Workflows'), ' › ', name),
    h('h1', {}, name, ' ', h('span', { class: 'muted' }, `v${w.version}`)),
    w.description ? h('p', {}, w.description) : null,
    h('p', {}, h('a', { href: `#/runs?workflow=${enc(name)}` }, 'Runs of this workflow'), w.cron ? [' · ', h('a', { href: '#/schedules' }, `schedule ${w.cron}`)] : null),
    versions.length > 1 ? h('p', { class: 'versions' }, 'Versions: ', versions.map(v => [h('a', { href: `#/workflows/${enc(name)}?version=${v.version}`, class: v.version === version ? 'active' : null }, `v${v.version}`), ' '])) : null,
    startForm(name, version, detail.parameters),
    h('h2', {}, 'Graph'), graph,
    h('h2', {}, 'Definition'), h('pre', { class: 'source', id: 'workflow-source' }, detail.source));
  createDag(graph, detail.tasks);
}

function startForm(name, version, parameters) {
  if (!canChange()) return null;
  const error = h('pre', { class: 'error', id: 'start-error' });
  const inputs = parameters.map(p => h('label', { class: 'param' },
    h('span', {}, p.name, p.required && !p.hasDefault ? ' *' : ''),
    h('input', { name: p.name, type: p.secret ? 'password' : 'text', autocomplete: 'off',
      placeholder: p.secret && p.hasDefault ? '(secret default)' : p.hasDefault ? p.default : p.required ? 'required' : '' }),
    p.description ? h('small', { class: 'muted' }, p.description) : null));
  const priority = h('select', { name: 'priority' }, ['', 'critical', 'high', 'normal', 'low'].map(p => h('option', { value: p }, p || 'default priority')));
  const form = h('form', { class: 'panel start-form', id: 'start-form', onsubmit: async e => {
    e.preventDefault();
    error.textContent = '';
    // An empty field means "use the default", so only filled fields are sent.
    const params = Object.fromEntries(parameters.map(p => [p.name, form.elements[p.name].value]).filter(([, v]) => v !== ''));
    try {
      const r = await post('/runs', { workflow: name, version, params, priority: priority.value || null, triggeredBy: 'dashboard' });
      location.hash = `#/runs/${r.runId}`;
    } catch (err) { error.textContent = err.message; }
  } }, h('h2', {}, 'Start a run'), inputs.length ? inputs : h('p', { class: 'muted' }, 'This workflow takes no parameters.'),
    h('label', { class: 'param' }, h('span', {}, 'priority'), priority),
    h('button', { type: 'submit', id: 'start-run' }, `Start ${name}`), error);
  return form;
}
