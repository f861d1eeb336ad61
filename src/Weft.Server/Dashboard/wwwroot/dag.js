// The task graph: a layered (Sugiyama-style) layout drawn in SVG, with zoom, pan and fit.
// Columns are longest-path levels; an edge that spans several columns passes through a small
// placeholder in each, so the ordering step sees it; a few barycentre sweeps order each column
// by where its neighbours are, which removes most crossings without a layout library.
import { h } from './core.js';

const W = 180, H = 40, GX = 70, GY = 16, DUMMY = 10, SWEEPS = 6, MAX_DUMMIES = 20000;

export function layout(tasks) {
  const index = new Map(tasks.map((t, i) => [t.taskId, i]));
  const level = longestPath(tasks, index);
  const nodes = tasks.map((t, i) => ({ id: t.taskId, layer: level[i], order: i, ups: [], downs: [], real: true }));
  const chains = [];
  let dummies = 0;
  for (const t of tasks) for (const d of t.dependsOn) if (index.has(d)) dummies += Math.max(0, level[index.get(t.taskId)] - level[index.get(d)] - 1);
  const withDummies = dummies <= MAX_DUMMIES;
  tasks.forEach((t, ti) => t.dependsOn.forEach(d => {
    if (!index.has(d)) return;
    const from = nodes[index.get(d)], to = nodes[ti], chain = [from];
    if (withDummies) for (let l = from.layer + 1; l < to.layer; l++) {
      const dummy = { layer: l, order: from.order + 0.5, ups: [], downs: [], real: false };
      nodes.push(dummy); chain.push(dummy);
    }
    chain.push(to);
    for (let i = 1; i < chain.length; i++) { chain[i - 1].downs.push(chain[i]); chain[i].ups.push(chain[i - 1]); }
    chains.push(chain);
  }));

  const layers = [];
  for (const n of nodes) (layers[n.layer] ||= []).push(n);
  for (let l = 0; l < layers.length; l++) layers[l] ||= [];
  layers.forEach(ns => { ns.sort((a, b) => a.order - b.order); ns.forEach((n, i) => { n.pos = i; }); });
  for (let s = 0; s < SWEEPS; s++) {
    if (s % 2 === 0) for (let l = 1; l < layers.length; l++) reorder(layers[l], n => n.ups);
    else for (let l = layers.length - 2; l >= 0; l--) reorder(layers[l], n => n.downs);
  }

  // Columns are stacked from the top, each centred on the tallest one.
  const heights = layers.map(ns => ns.reduce((sum, n) => sum + (n.real ? H + GY : DUMMY), 0));
  const tallest = Math.max(H, ...heights);
  layers.forEach((ns, l) => {
    let y = 10 + (tallest - heights[l]) / 2;
    for (const n of ns) { n.x = 10 + l * (W + GX); n.y = y; y += n.real ? H + GY : DUMMY; }
  });
  const positions = new Map(nodes.filter(n => n.real).map(n => [n.id, { x: n.x, y: n.y }]));
  const edges = chains.map(chain => chain.map(n => ({ x: n.x, y: n.real ? n.y + H / 2 : n.y + DUMMY / 2, real: n.real })));
  return { positions, edges, width: 20 + layers.length * (W + GX) - GX, height: 20 + tallest };
}

// Level 0 for a task without dependencies, else one more than its deepest dependency (iteratively,
// so a 100,000-task chain does not overflow the stack). The API sends levels for runs; a cycle
// cannot reach here (definitions are validated), and is cut rather than looped on.
function longestPath(tasks, index) {
  const level = tasks.map(t => Number.isInteger(t.level) ? t.level : -1);
  if (!level.includes(-1)) return level;
  const indegree = tasks.map(t => t.dependsOn.filter(d => index.has(d)).length);
  const children = tasks.map(() => []);
  tasks.forEach((t, i) => t.dependsOn.forEach(d => index.has(d) && children[index.get(d)].push(i)));
  const ready = []; tasks.forEach((_, i) => { level[i] = 0; if (indegree[i] === 0) ready.push(i); });
  while (ready.length) {
    const i = ready.pop();
    for (const c of children[i]) { level[c] = Math.max(level[c], level[i] + 1); if (--indegree[c] === 0) ready.push(c); }
  }
  return level;
}

function reorder(ns, neighbours) {
  for (const n of ns) {
    const ps = neighbours(n);
    n.bary = ps.length ? ps.reduce((s, p) => s + p.pos, 0) / ps.length : n.pos;
  }
  ns.sort((a, b) => a.bary - b.bary || a.pos - b.pos);
  ns.forEach((n, i) => { n.pos = i; });
}

function edgePath(points) {
  let d = `M${points[0].x + W},${points[0].y}`;
  let x = points[0].x + W, y = points[0].y;
  for (let i = 1; i < points.length; i++) {
    const p = points[i], bend = (p.x - x) / 2;
    d += ` C${x + bend},${y} ${p.x - bend},${p.y} ${p.x},${p.y}`;
    x = p.x; y = p.y;
    if (!p.real) { x = p.x + W; d += ` L${x},${y}`; }
  }
  return d;
}

const label = id => id.length > 22 ? id.slice(0, 21) + '…' : id;

// Draws `tasks` ({taskId, kind, dependsOn, level?, state?, attempts?}) into `container`; the layout is
// made once, later calls to update() only recolour the nodes, so zoom and pan stay where the user put them.
export function createDag(container, tasks, { onSelect } = {}) {
  const { positions, edges, width, height } = layout(tasks);
  const root = h('g', { class: 'viewport' });
  const nodes = new Map();
  root.append(...edges.map(points => h('path', { class: 'edge', d: edgePath(points) })));
  for (const t of tasks) {
    const p = positions.get(t.taskId);
    const sub = h('text', { x: 10, y: 32, class: 'sub' });
    const title = h('title', {});
    const g = h('g', { class: 'node', id: `task-${t.taskId}`, 'data-task': t.taskId, transform: `translate(${p.x},${p.y})` },
      title, h('rect', { width: W, height: H, rx: 6 }), h('text', { x: 10, y: 16 }, label(t.taskId)), sub);
    g.addEventListener('click', () => { if (!moved && onSelect) onSelect(t.taskId); });
    nodes.set(t.taskId, { g, sub, title });
    root.append(g);
  }
  const svg = h('svg', { class: 'dag-svg', role: 'img', 'aria-label': 'task graph', 'data-width': width, 'data-height': height }, root);
  svg.style.height = `${Math.min(Math.max(height + 20, 160), Math.round(window.innerHeight * 0.7))}px`;

  let k = 1, tx = 0, ty = 0, moved = false;
  const apply = () => { root.setAttribute('transform', `translate(${tx},${ty}) scale(${k})`); svg.dataset.scale = k.toFixed(4); };
  const zoomAt = (factor, cx, cy) => {
    const next = Math.min(4, Math.max(0.02, k * factor));
    tx = cx - (cx - tx) * (next / k); ty = cy - (cy - ty) * (next / k); k = next; apply();
  };
  const fit = () => {
    const box = svg.getBoundingClientRect();
    if (box.width < 20 || box.height < 20) return; // hidden (another tab): fitted when shown
    k = Math.min(1, (box.width - 10) / width, (box.height - 10) / height);
    tx = (box.width - width * k) / 2; ty = (box.height - height * k) / 2; apply();
  };
  const center = () => { const box = svg.getBoundingClientRect(); zoomAt(1, box.width / 2, box.height / 2); };
  svg.addEventListener('wheel', e => {
    e.preventDefault();
    const box = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - box.left, e.clientY - box.top);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', e => { drag = { x: e.clientX, y: e.clientY, tx, ty }; moved = false; });
  svg.addEventListener('pointermove', e => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!moved && Math.hypot(dx, dy) < 4) return;
    if (!moved) { moved = true; svg.setPointerCapture(e.pointerId); svg.classList.add('panning'); }
    tx = drag.tx + dx; ty = drag.ty + dy; apply();
  });
  const stop = () => { drag = null; svg.classList.remove('panning'); };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);

  const button = (id, text, title, fn) => h('button', { type: 'button', class: `dag-${id}`, title, onclick: fn }, text);
  const tools = h('div', { class: 'dag-tools' },
    button('zoom-in', '+', 'Zoom in', () => { const b = svg.getBoundingClientRect(); zoomAt(1.25, b.width / 2, b.height / 2); }),
    button('zoom-out', '−', 'Zoom out', () => { const b = svg.getBoundingClientRect(); zoomAt(0.8, b.width / 2, b.height / 2); }),
    button('fit', 'Fit', 'Fit the whole graph', fit),
    button('actual', '1:1', 'Actual size', () => { k = 1; center(); }),
    h('span', { class: 'muted' }, ` ${tasks.length} task${tasks.length === 1 ? '' : 's'} · drag to pan, wheel to zoom`));
  container.replaceChildren(tools, svg);
  // Small graphs are shown at full size, large ones fitted, once the container has its size.
  requestAnimationFrame(() => { if (width > svg.getBoundingClientRect().width || height > svg.getBoundingClientRect().height) fit(); else { tx = 5; ty = 5; apply(); } });
  apply();

  function update(current, selected) {
    for (const t of current) {
      const n = nodes.get(t.taskId);
      if (!n) continue;
      const state = t.state || 'pending';
      n.g.setAttribute('class', `node state-${state}${selected === t.taskId ? ' selected' : ''}`);
      n.g.dataset.state = state;
      n.sub.textContent = t.state ? `${t.kind} · ${state}${t.attempts > 1 ? ` · ${t.attempts} attempts` : ''}` : t.kind;
      n.title.textContent = `${t.taskId}: ${t.state ? state : t.kind}`;
    }
  }
  update(tasks, null);
  return { update, fit };
}
