// A section whose data source is not in this build: it says so, and shows no figures.

import { h, card } from '../dom.js';

export default {
  mount(root, context, info) {
    root.append(h('h1', null, info.title), card(info.title,
      h('p', { class: 'unavailable-message', 'data-unavailable': info.name }, info.message || 'Not available in this build.')));
  },
};
