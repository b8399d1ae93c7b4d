// The dashboard page: navigation, routing (#/section/argument) and the live connection. Each section is a module
// with mount/unmount and optional hello/tick/view/route handlers; a section that says it has nothing to show (traces
// with collection off) uses the `unavailable` module instead.

import { h, setText, clear } from './dom.js';
import { Live } from './live.js';
import { showIdentity, updateInstances, showInstances } from './fleet.js';
import overview from './sections/overview.js';
import performance from './sections/performance.js';
import health from './sections/health.js';
import errors from './sections/errors.js';
import costs from './sections/costs.js';
import logs from './sections/logs.js';
import alerts from './sections/alerts.js';
import traces from './sections/traces.js';
import agents from './sections/agents.js';
import unavailable from './sections/unavailable.js';

const modules = { overview, performance, health, errors, costs, logs, alerts, agents, traces };

const nav = document.getElementById('nav');
const main = document.getElementById('main');
const status = document.getElementById('status');

const state = {
  hello: null,
  sections: [],
  current: null,
  currentName: null,
};

const context = {
  capacity: () => (state.hello ? state.hello.capacity : 600),
  setView: (section, query) => live.setView(section, query),
  navigate: (hash) => { if (location.hash !== hash) location.hash = hash; else route(); },
  section: (name) => state.sections.find((s) => s.name === name),
};

const live = new Live({
  state: (value) => {
    status.dataset.state = value;
    setText(status, value === 'live' ? 'live' : value === 'connecting' ? 'connecting…' : 'offline, reconnecting…');
  },
  hello: (message) => {
    state.hello = message;
    state.sections = message.sections;
    showIdentity(message.identity);
    buildNav();
    if (!state.current) route();
    else if (state.current.hello) state.current.hello(message);
  },
  tick: (message) => {
    if (message.overview) updateNav(message.overview.sections);
    if (message.overview) updateInstances(message.overview.instances);
    if (message.overview) showInstances(message.overview);
    if (state.current && state.current.tick) state.current.tick(message);
  },
  view: (section, data) => {
    if (state.current && state.currentName === section && state.current.view) state.current.view(data);
  },
});

function buildNav() {
  clear(nav);
  for (const section of state.sections) {
    nav.append(h('a', {
      href: '#/' + encodeURIComponent(section.name),
      'data-section': section.name,
      class: section.available ? '' : 'unavailable',
      title: section.available ? section.title : section.message,
    }, section.title));
  }
  markActive();
}

function updateNav(sections) {
  if (!sections) return;
  state.sections = sections;
  for (const section of sections) {
    const link = nav.querySelector(`a[data-section="${CSS.escape(section.name)}"]`);
    if (link) link.classList.toggle('unavailable', !section.available);
  }
}

function markActive() {
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.dataset.section === state.currentName);
}

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => decodeURIComponent(p));
  return { name: parts[0] || 'overview', arg: parts.slice(1).join('/') || null };
}

function route() {
  if (!state.hello) return;
  const { name, arg } = parseHash();
  const info = state.sections.find((s) => s.name === name) || state.sections[0];
  const target = info.name;
  if (state.currentName !== target) {
    if (state.current && state.current.unmount) state.current.unmount();
    clear(main);
    const module = info.available && modules[target] ? modules[target] : unavailable;
    state.current = module;
    state.currentName = target;
    live.setView(null);
    const root = h('div', { class: 'section', 'data-view': target });
    main.append(root);
    module.mount(root, context, info, state.hello);
    markActive();
  }
  if (state.current.route) state.current.route(arg);
}

window.addEventListener('hashchange', route);
live.connect();
