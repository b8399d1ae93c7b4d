// Builds elements from data without ever parsing it as HTML: text goes in as text nodes, attributes as values.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function setText(el, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function clear(el) {
  el.replaceChildren();
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), ...children);
}

// A live numeric tile: the value element keeps a data-metric name tests and people can find it by.
export function tile(metric, label, hint) {
  const value = h('div', { class: 'tile-value', 'data-metric': metric }, '–');
  const note = h('div', { class: 'tile-hint' }, hint || '');
  return { el: h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, label), value, note), value, note };
}

export function waiting(label, message, metric) {
  return h('div', { class: 'tile waiting', 'data-placeholder': metric },
    h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value muted' }, 'waiting for data'),
    h('div', { class: 'tile-hint' }, capitalise(message.replace(/^Waiting for data:\s*/i, ''))));
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
