// Agents: the recent agent runs the runtime recorded and the totals of each conversation; for one run, a waterfall of
// the agent, the model calls and the tools it made, each bar at its start offset with its duration, tokens, cost and
// failure. Selecting a run (#/agents/<run id>) asks the server for its steps through the live view.

import { h, card, setText, clear } from '../dom.js';
import * as fmt from '../format.js';

let ctx, els, query;

export default {
  mount(root, context) {
    ctx = context;
    query = { page: 0, size: 50, q: '', selected: null };
    const filter = h('input', { type: 'search', placeholder: 'Filter by agent or conversation', 'aria-label': 'Filter agent runs', 'data-control': 'filter' });
    let timer = null;
    filter.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { query.q = filter.value; query.page = 0; ctx.setView('agents', query); }, 250);
    });
    els = {
      filter,
      runs: h('tbody', { 'data-table': 'agent-runs' }),
      conversations: h('tbody', { 'data-table': 'conversations' }),
      total: h('span', { class: 'muted' }),
      note: h('p', { class: 'muted small' }),
      waterfall: h('div', { class: 'waterfall-wrap', 'data-block': 'run' }),
      step: h('div', { class: 'span-detail', 'data-block': 'step' }),
    };
    root.append(
      h('h1', null, 'Agents'),
      card('Recent runs', h('div', { class: 'toolbar' }, filter, els.total),
        h('div', { class: 'table-wrap' }, h('table', { class: 'ops' },
          h('thead', null, h('tr', null, ['Started', 'Agent', 'Conversation', 'Duration', 'Steps', 'Errors', 'Tokens in / out', 'Cost'].map((t) => h('th', { scope: 'col' }, t)))),
          els.runs)),
        els.note),
      card('Conversations', h('div', { class: 'table-wrap' }, h('table', { class: 'ops' },
        h('thead', null, h('tr', null, ['Conversation', 'Runs', 'Failed runs', 'Time', 'Tokens in / out', 'Cost', 'Last active'].map((t) => h('th', { scope: 'col' }, t)))),
        els.conversations))),
      card('Run', els.waterfall, els.step),
    );
    els.waterfall.append(h('p', { class: 'muted' }, 'Select a run to see its model calls and tools.'));
    ctx.setView('agents', query);
  },

  route(arg) {
    const selected = arg || null;
    if (selected !== query.selected) {
      query.selected = selected;
      ctx.setView('agents', query);
    }
  },

  view(data) {
    setText(els.total, data.total === 1 ? '1 run' : `${fmt.count(data.total)} runs`);
    setText(els.note, `The ${data.capacity} most recent agent runs are kept while the application runs; a conversation's totals cover all its runs.`);
    els.runs.replaceChildren(...data.rows.map(runRow));
    if (data.rows.length === 0) {
      els.runs.append(h('tr', { 'data-empty': 'runs' }, h('td', { colspan: 8, class: 'muted' },
        'No agent run yet: runs appear here as agents (AIAgent.RunAsync, RunStreamingAsync) run in the application.')));
    }
    els.conversations.replaceChildren(...data.conversations.map(conversationRow));
    if (data.conversations.length === 0) {
      els.conversations.append(h('tr', { 'data-empty': 'conversations' }, h('td', { colspan: 7, class: 'muted' },
        'No conversation yet: runs given an agent session are summed per conversation.')));
    }
    showRun(data.run, data.message);
  },
};

function tokens(input, output) {
  return `${fmt.count(input)} / ${fmt.count(output)}`;
}

function runRow(r) {
  const tr = h('tr', { 'data-run': String(r.id), class: String(r.id) === query.selected ? 'selected' : '', tabindex: 0 },
    h('td', null, fmt.time(r.start)),
    h('td', null, h('span', { class: 'op-name' }, r.agent)),
    h('td', { class: 'op-component' }, r.conversation || '–'),
    h('td', null, r.durationMs == null ? 'running' : fmt.ms(r.durationMs)),
    h('td', null, fmt.count(r.steps)),
    h('td', null, r.errors ? h('span', { class: 'bad' }, String(r.errors)) : '0'),
    h('td', null, tokens(r.inputTokens, r.outputTokens)),
    h('td', null, fmt.usd(r.costUsd)));
  const open = () => ctx.navigate('#/agents/' + r.id);
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
  return tr;
}

function conversationRow(c) {
  const tr = h('tr', { 'data-conversation': c.id, tabindex: 0 },
    h('td', null, h('code', null, c.id)),
    h('td', { 'data-field': 'runs' }, fmt.count(c.runs)),
    h('td', null, c.failedRuns ? h('span', { class: 'bad' }, fmt.count(c.failedRuns)) : '0'),
    h('td', null, fmt.ms(c.durationMs)),
    h('td', { 'data-field': 'tokens' }, tokens(c.inputTokens, c.outputTokens)),
    h('td', { 'data-field': 'cost' }, fmt.usd(c.costUsd)),
    h('td', null, fmt.time(c.lastSeen)));
  // Picking a conversation lists its runs.
  const pick = () => { els.filter.value = c.id; query.q = c.id; query.page = 0; ctx.setView('agents', query); };
  tr.addEventListener('click', pick);
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') pick(); });
  return tr;
}

function showRun(run, message) {
  clear(els.waterfall);
  if (!run) {
    els.waterfall.append(h('p', { class: 'muted', 'data-field': 'run-message' }, message || 'Select a run to see its model calls and tools.'));
    clear(els.step);
    return;
  }
  // The run's own bar spans the track; a bar never reaches past its end (float sums of offset and duration may).
  const total = Math.max(run.durationMs ?? Math.max(...run.steps.map((s) => s.offsetMs + (s.durationMs || 0))), 0.001);
  const rows = run.steps.map((s) => {
    const bar = h('div', { class: `wf-bar kind-${s.kind}` + (s.status === 'error' ? ' error' : '') + (s.status === 'running' ? ' running' : '') });
    const left = Math.min((s.offsetMs / total) * 100, 100);
    bar.style.left = left + '%';
    bar.style.width = Math.min(Math.max(((s.durationMs || 0) / total) * 100, 0.3), 100 - left) + '%';
    const meta = [];
    if (s.inputTokens != null) meta.push(tokens(s.inputTokens, s.outputTokens) + ' tokens' + (s.counted ? '' : ' (in the agent\'s)'));
    if (s.costUsd != null) meta.push(fmt.usd(s.costUsd));
    if (s.errorType) meta.push(s.errorType);
    const label = h('div', { class: 'wf-label' },
      h('span', { class: 'badge kind-' + s.kind, 'data-field': 'kind' }, s.kind.replace('_', ' ')), ' ',
      h('span', { class: 'op-name', 'data-field': 'name' }, s.name),
      meta.length ? h('span', { class: 'wf-meta', 'data-field': 'meta' }, meta.join(' · ')) : null);
    label.style.paddingLeft = s.depth * 14 + 'px';
    const row = h('div', { class: 'wf-row', 'data-step': String(s.index), 'data-kind': s.kind, 'data-status': s.status, tabindex: 0 }, label,
      h('div', { class: 'wf-track' }, bar), h('div', { class: 'wf-time' }, s.durationMs == null ? 'running' : fmt.ms(s.durationMs)));
    row.addEventListener('click', () => showStep(s));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') showStep(s); });
    return row;
  });
  els.waterfall.append(
    h('p', { class: 'muted small', 'data-field': 'run-summary' },
      `${run.agent} · ${run.steps.length} steps · ${fmt.ms(run.durationMs)} · ${tokens(run.inputTokens, run.outputTokens)} tokens · ${fmt.usd(run.costUsd)}` +
      (run.errors ? ` · ${run.errors} failed` : '') +
      (run.conversation ? ` · conversation ${run.conversation}` : '') +
      (run.droppedSteps ? ` · ${run.droppedSteps} more steps not kept` : '')),
    h('div', { class: 'waterfall', 'data-block': 'waterfall' }, rows));
  showStep(run.steps.find((s) => s.status === 'error') || run.steps[0]);
}

function showStep(s) {
  clear(els.step);
  if (!s) return;
  const fact = (name, value) => (value == null || value === '' ? [] : [h('dt', null, name), h('dd', null, String(value))]);
  els.step.append(h('h3', null, s.name), h('dl', { class: 'facts' },
    ...fact('Kind', s.kind.replace('_', ' ')),
    ...fact('Component', s.component),
    ...fact('Provider', s.provider),
    ...fact('Model', s.model),
    ...fact('Status', s.status),
    ...fact('Starts at', '+' + fmt.ms(s.offsetMs)),
    ...fact('Duration', s.durationMs == null ? 'running' : fmt.ms(s.durationMs)),
    ...fact('Input tokens', s.inputTokens),
    ...fact('Output tokens', s.outputTokens),
    ...fact('Cached input tokens', s.cachedInputTokens || null),
    ...fact('Reasoning tokens', s.reasoningTokens || null),
    ...fact('Cache hit', s.cacheHit ? 'yes (not billed)' : null),
    ...fact('Cost', s.inputTokens != null ? fmt.usd(s.costUsd) : null),
    ...fact('Error', s.errorType ? s.errorType + (s.errorMessage ? ': ' + s.errorMessage : '') : null)));
}
