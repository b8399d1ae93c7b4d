// A section that says it has nothing to show (its source is switched off, as traces with dashboard.traces: false):
// it says why, and shows no figures.

import { h, card } from '../dom.js';

export default {
  mount(root, context, info) {
    root.append(h('h1', null, info.title), card(info.title,
      h('p', { class: 'unavailable-message', 'data-unavailable': info.name }, info.message || 'Nothing to show.')));
  },
};
