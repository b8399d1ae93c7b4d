// The header's identity: the process's service name, instance id and environment; for a fleet dashboard (read from
// Prometheus), the server it reads and a selector of its instances. Choosing an instance reloads the page with
// ?instance=, and the live connection asks for that instance: every section is then narrowed to it.

import { h, setText, clear } from './dom.js';

const root = () => document.getElementById('identity');

export function chosenInstance() {
  return new URLSearchParams(location.search).get('instance');
}

export function showIdentity(identity) {
  const el = root();
  if (!el || !identity) return;
  clear(el);
  el.dataset.source = identity.source;
  if (identity.source === 'prometheus') {
    el.append(
      h('span', { class: 'identity-service', 'data-identity': 'service' }, 'fleet'),
      h('span', { class: 'identity-part', 'data-identity': 'prometheus', title: 'The Prometheus server every number is read from' }, identity.prometheus),
      h('label', { class: 'identity-part' }, 'instance ',
        h('select', { id: 'instance-filter', 'data-identity': 'instance-filter', onchange: (e) => choose(e.target.value) },
          h('option', { value: '' }, 'all instances'))));
    return;
  }
  el.append(
    h('span', { class: 'identity-service', 'data-identity': 'service', title: 'service.name' }, identity.service),
    h('span', { class: 'identity-part', 'data-identity': 'instance', title: 'service.instance.id' }, identity.instance),
    identity.environment ? h('span', { class: 'identity-part', 'data-identity': 'environment', title: 'deployment.environment' }, identity.environment) : null);
}

// Keeps the selector's options in step with the instances Prometheus scrapes; a down one says so.
export function updateInstances(instances) {
  const select = document.getElementById('instance-filter');
  if (!select || !instances) return;
  const chosen = chosenInstance();
  const wanted = [''].concat(instances.map((i) => i.instance));
  if (chosen && !wanted.includes(chosen)) wanted.push(chosen);
  for (const option of [...select.options]) if (!wanted.includes(option.value)) option.remove();
  for (const instance of instances) {
    let option = [...select.options].find((o) => o.value === instance.instance);
    if (!option) {
      option = h('option', { value: instance.instance });
      select.append(option);
    }
    const name = instance.serviceInstanceId ? `${instance.serviceInstanceId} (${instance.instance})` : instance.instance;
    setText(option, instance.up ? name : `${name}, down`);
    option.dataset.up = instance.up ? 'true' : 'false';
  }
  select.value = chosen || '';
}

function choose(instance) {
  const params = new URLSearchParams(location.search);
  if (instance) params.set('instance', instance);
  else params.delete('instance');
  const search = params.toString();
  location.search = search ? '?' + search : '';
}

// The overview of a fleet lists its instances: up or down, calls per second, error rate and health score of each.
export function showInstances(overview) {
  const root = document.querySelector('[data-view=overview]');
  if (!root || !overview || !overview.instances) return;
  let body = root.querySelector('tbody[data-table=instances]');
  if (!body) {
    body = h('tbody', { 'data-table': 'instances' });
    root.append(h('section', { class: 'card', 'data-card': 'instances' }, h('h2', null, 'Instances'),
      h('p', { class: 'unavailable-message', 'data-field': 'source-problem' }),
      h('table', null,
        h('thead', null, h('tr', null, ['instance', 'id', 'state', 'calls/s', 'error rate', 'health'].map((t) => h('th', null, t)))),
        body)));
  }
  const problem = root.querySelector('[data-field=source-problem]');
  setText(problem, overview.sourceProblem || '');
  problem.hidden = !overview.sourceProblem;
  clear(body);
  for (const i of overview.instances) {
    body.append(h('tr', { 'data-instance': i.instance, 'data-up': i.up ? 'true' : 'false' },
      h('td', null, i.instance),
      h('td', null, i.serviceInstanceId || ''),
      h('td', null, i.up ? 'up' : 'down'),
      h('td', null, i.callsPerSecond.toFixed(2)),
      h('td', null, (i.errorRate * 100).toFixed(2) + ' %'),
      h('td', null, i.healthScore === undefined || i.healthScore === null ? '–' : i.healthScore.toFixed(0))));
  }
}
