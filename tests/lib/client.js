// A small HTTP client for the API tests: JSON in and out, Bearer sessions.
export class Client {
  constructor(base, token = null) {
    this.base = base;
    this.token = token;
  }

  // Returns {status, body, headers}; body is parsed JSON when there is any.
  async req(method, path, body, { headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload;
    if (body !== undefined) {
      if (raw) {
        payload = body;
      } else {
        payload = JSON.stringify(body);
        h['Content-Type'] = h['Content-Type'] || 'application/json';
      }
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(p, o) {
    return this.req('GET', p, undefined, o);
  }
  post(p, b, o) {
    return this.req('POST', p, b, o);
  }
  patch(p, b, o) {
    return this.req('PATCH', p, b, o);
  }
  put(p, b, o) {
    return this.req('PUT', p, b, o);
  }
  del(p, o) {
    return this.req('DELETE', p, undefined, o);
  }

  // Log in through the API (bearer mode); returns a new client for that user.
  async login(login, password) {
    const r = await this.post('/api/v1/session', { login, password, mode: 'bearer' });
    if (r.status !== 201) throw new Error(`login ${login} failed: ${r.status} ${JSON.stringify(r.body)}`);
    const c = new Client(this.base, r.body.token);
    c.user = r.body.user;
    return c;
  }
}
