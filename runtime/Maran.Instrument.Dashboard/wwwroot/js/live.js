// The live connection: one WebSocket to the dashboard, reconnected with backoff. The server sends `hello`, then a
// `tick` at most once a second (overview, newest trend point, the view asked for when it changed), and a `view` as
// soon as another one is asked for.

export class Live {
  constructor(handlers) {
    this.handlers = handlers;
    this.viewId = 0;
    this.view = null;
    this.lastSeq = 0;
    this.delay = 1000;
    this.socket = null;
  }

  connect() {
    const url = new URL('ws', document.baseURI);
    const instance = new URLSearchParams(location.search).get('instance');
    if (instance) url.searchParams.set('instance', instance);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    this.handlers.state('connecting');
    socket.addEventListener('open', () => {
      this.delay = 1000;
      this.handlers.state('live');
      if (this.view) socket.send(JSON.stringify(this.view));
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.handlers.state('offline');
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    });
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'hello') {
      this.lastSeq = 0;
      this.handlers.hello(message);
    } else if (message.type === 'tick') {
      if (message.seq <= this.lastSeq) return;
      this.lastSeq = message.seq;
      this.handlers.tick(message);
      if (message.view) this.deliver(message.view);
    } else if (message.type === 'view') {
      this.deliver(message);
    }
  }

  deliver(view) {
    if (this.view && view.id === this.view.id) this.handlers.view(view.section, view.data);
  }

  // Asks for a section's view (page, sort, filter, selection); null for none.
  setView(section, query) {
    this.view = section ? { type: 'view', id: ++this.viewId, section, ...(query || {}) } : null;
    if (this.view && this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(this.view));
  }
}

// A page narrowed to one instance (?instance= in its address) reads everything of that instance, as its live
// connection does: the trends too.
export async function getJson(path) {
  const instance = new URLSearchParams(location.search).get('instance');
  const url = new URL(path, document.baseURI);
  if (instance) url.searchParams.set('instance', instance);
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) return null;
  return response.json();
}

// Sends a change (silencing an alert) as JSON with the dashboard's CSRF token, which GET api/session gives to this
// page only. A dashboard restarted since the token was read answers 403 once; the token is read again and the change
// sent again.
let csrf = null;

export async function postJson(path, body) {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (!csrf) {
      const session = await getJson('api/session');
      csrf = session ? session.csrf : null;
    }
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Maran-Csrf': csrf || '' },
      body: JSON.stringify(body || {}),
    });
    if (response.status === 403 && attempt === 0) {
      csrf = null;
      continue;
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { ok: response.ok, status: response.status, data };
  }
  return { ok: false, status: 0, data: null };
}
