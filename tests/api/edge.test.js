// The HTTP edge of the embedded server, alone (no nginx in front), over raw
// sockets: request smuggling and malformed framing are refused with 400 and
// the connection closed; a Content-Length far over the limit gets 413 at
// once; a NUL in the path is refused; access-log lines stay valid JSON; and
// slow clients (slow-loris, slow bodies) cannot hold the server while
// /healthz keeps answering others. All traffic is loopback, bounded in count
// and time. The other client address of the slow-loris test is 127.0.0.2
// (all of 127/8 is loopback on Linux).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.js';

let srv, port;

before(async () => {
  srv = await startServer({ demo: false });
  port = Number(new URL(srv.url).port);
});
after(async () => srv && srv.stop());

// Send bytes on a fresh connection; resolve with what came back, whether the
// server closed the connection, and how long it took. Waits at most `wait` ms.
function raw(bytes, { wait = 2000, localAddress, p = port } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let data = Buffer.alloc(0);
    let closed = false;
    let ended = false;
    const s = net.connect({ port: p, host: '127.0.0.1', localAddress }, () => s.write(Buffer.from(bytes, 'latin1')));
    const finish = () => {
      clearTimeout(timer);
      s.destroy();
      const text = data.toString('latin1');
      resolve({
        text,
        data,
        closed,
        ms: Date.now() - t0,
        responses: (text.match(/HTTP\/1\.[01] \d{3} /g) || []).length,
        status: Number((text.match(/^HTTP\/1\.[01] (\d{3})/) || [])[1] || 0),
      });
    };
    s.on('data', (d) => (data = Buffer.concat([data, d])));
    s.on('end', () => {
      closed = true;
      if (!ended) {
        ended = true;
        finish();
      }
    });
    s.on('error', () => {
      closed = true;
      if (!ended) {
        ended = true;
        finish();
      }
    });
    const timer = setTimeout(() => {
      if (!ended) {
        ended = true;
        finish();
      }
    }, wait);
  });
}

function bodyOf(r) {
  const i = r.data.indexOf('\r\n\r\n');
  try {
    return JSON.parse(r.data.subarray(i + 4).toString('utf8'));
  } catch {
    return null;
  }
}

const SMUGGLED = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';

async function refused(what, req, code) {
  const r = await raw(req);
  assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.text.slice(0, 300))}`);
  assert.equal(r.responses, 1, `${what}: nothing after the refused request is answered`);
  assert.ok(r.closed, `${what}: the connection is closed`);
  assert.ok(r.ms < 1500, `${what}: answered at once (${r.ms} ms)`);
  const b = bodyOf(r);
  assert.ok(b && b.error, `${what}: error body`);
  if (code) assert.equal(b.error.code, code, what);
  assert.match(b.error.message, /[\u4e00-\u9fff]/, `${what}: Chinese message`);
  assert.match(r.text, /\r\nConnection: close\r\n/i, `${what}: Connection: close`);
}

test('contract: Content-Length with Transfer-Encoding is 400 and the connection is closed', async () => {
  await refused(
    'CL+TE',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' +
      SMUGGLED,
    'ambiguous_length',
  );
  await refused(
    'TE+CL',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n' +
      SMUGGLED,
    'ambiguous_length',
  );
});

test('duplicate or differing Content-Length is 400', async () => {
  await refused(
    'differing',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\nhello' + SMUGGLED,
    'ambiguous_length',
  );
  await refused(
    'duplicate',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\nhello' + SMUGGLED,
    'ambiguous_length',
  );
});

test('Transfer-Encoding other than exactly chunked is 400', async () => {
  for (const te of ['gzip, chunked', 'chunked, identity', 'xchunked', 'identity', 'chunked ;x=1']) {
    await refused(
      `TE ${te}`,
      `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\n\r\n0\r\n\r\n` + SMUGGLED,
      'unsupported_transfer_encoding',
    );
  }
  await refused(
    'two TE headers',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' +
      SMUGGLED,
    'unsupported_transfer_encoding',
  );
  await refused(
    'TE on HTTP/1.0',
    'POST /api/v1/session HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'unsupported_transfer_encoding',
  );
});

test('whitespace before the colon, obs-fold, NUL and bare CR in headers are 400', async () => {
  await refused(
    'space before colon',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello' + SMUGGLED,
    'malformed_header',
  );
  await refused(
    'tab before colon',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding\t: chunked\r\n\r\n',
    'malformed_header',
  );
  await refused(
    'obs-fold (space)',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\nX-B: 1\r\n\r\n',
    'malformed_header',
  );
  await refused('obs-fold (tab)', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: one\r\n\ttwo\r\n\r\n', 'malformed_header');
  await refused(
    'obs-fold of Transfer-Encoding',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\nhello',
    'malformed_header',
  );
  await refused('first header line folded', 'GET /healthz HTTP/1.1\r\n Host: x\r\n\r\n', 'malformed_header');
  await refused(
    'NUL in a value',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\0cd\r\nX-B: 1\r\n\r\n',
    'malformed_header',
  );
  await refused('NUL in the last value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\0cd\r\n\r\n', 'malformed_header');
  await refused(
    'NUL hiding a chunked',
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nX-A: a\0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello',
    null,
  );
  await refused(
    'bare CR',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: ab\rTransfer-Encoding: chunked\r\n\r\n',
    'malformed_header',
  );
  await refused('control character', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n', 'malformed_header');
});

test('a NUL in the path is 400, not the file before it', async () => {
  await refused('%00', 'GET /index.html%00.js HTTP/1.1\r\nHost: x\r\n\r\n', 'invalid_path');
  await refused('%00 in an API path', 'GET /api/v1/lottery/campaigns%00x HTTP/1.1\r\nHost: x\r\n\r\n', 'invalid_path');
  await refused('raw NUL', 'GET /index.html\0.js HTTP/1.1\r\nHost: x\r\n\r\n', 'malformed_request_line');
  const f = await fetch(srv.url + '/index.html%00.js');
  assert.equal(f.status, 400);
  assert.equal((await f.json()).error.code, 'invalid_path');
  const q = await fetch(srv.url + '/api/v1/lottery/campaigns?q=a%00b');
  assert.equal(q.status, 400);
  assert.equal((await q.json()).error.code, 'invalid_query');
});

test('a Content-Length far over the limit gets 413 at once, body or not', async () => {
  for (const cl of ['99999999999', String(2 * 1024 * 1024), '18446744073709551615']) {
    const r = await raw(
      `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${cl}\r\n\r\n`,
    );
    assert.equal(r.status, 413, `${cl}: ${r.text.slice(0, 200)}`);
    assert.ok(r.ms < 1500, `${cl}: ${r.ms} ms`);
    assert.ok(r.closed);
    assert.equal(bodyOf(r).error.code, 'body_too_large');
  }
  const e = await raw(
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n',
  );
  assert.equal(e.status, 413, 'no 100 Continue for a body that would be refused');
});

test('a client still sending a body that is refused reads the answer, not a reset (lingering close)', async () => {
  const body = 'x'.repeat(3 * 1024 * 1024);
  let ok = 0;
  const bad = [];
  const one = async () => {
    try {
      const r = await fetch(srv.url + '/api/v1/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      if (r.status === 413) ok++;
      else bad.push(r.status);
      await r.text();
    } catch (e) {
      bad.push(e.cause ? e.cause.code || e.cause.message : e.message);
    }
  };
  for (let i = 0; i < 10; i++) await Promise.all([one(), one(), one(), one()]);
  assert.deepEqual(bad, []);
  assert.equal(ok, 40);
});

test('well-formed requests still pass: keep-alive, chunked, large and empty headers, bare LF', async () => {
  const two = await raw(SMUGGLED + SMUGGLED, { wait: 800 });
  assert.equal(two.responses, 2, two.text);
  assert.ok(!two.closed, 'keep-alive stays open');
  const chunked = await raw(
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n',
    { wait: 800 },
  );
  assert.equal(chunked.status, 400, chunked.text);
  assert.notEqual(bodyOf(chunked).error.code, 'ambiguous_length');
  const upper = await raw(
    'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    { wait: 800 },
  );
  assert.notEqual(bodyOf(upper).error.code, 'unsupported_transfer_encoding');
  let big = 'GET /healthz HTTP/1.1\r\nHost: x\r\n';
  for (let i = 0; big.length < 16000; i++) big += `X-Filler-${i}: ${'v'.repeat(200)}\r\n`;
  const b = await raw(big + 'Cookie: a=1; b=2\r\nX-Empty:\r\nX-Spaces:   \r\nX-Tab:\tv\t\r\n\r\n', { wait: 800 });
  assert.equal(b.status, 200, b.text.slice(0, 300));
  const lf = await raw('GET /healthz HTTP/1.1\nHost: x\nX-A: 1\n\n', { wait: 800 });
  assert.equal(lf.status, 200, lf.text.slice(0, 300));
  const http10 = await raw('GET /healthz HTTP/1.0\r\n\r\n', { wait: 800 });
  assert.equal(http10.status, 200);
});

test('access-log lines stay valid UTF-8 JSON when the path holds invalid bytes', async () => {
  const r = await fetch(srv.url + '/api/v1/%FF%FE/%E5%B7/%C0%AF?x=%FF');
  assert.equal(r.status, 404);
  await raw('GET /\xff\xfe/raw HTTP/1.1\r\nHost: x\r\n\r\n', { wait: 500 });
  await new Promise((res) => setTimeout(res, 700)); // the log is flushed five times a second
  const lines = srv.stderr.split('\n').filter((l) => l.startsWith('{'));
  const bytes = Buffer.from(srv.stderr, 'utf8');
  assert.ok(!bytes.includes(Buffer.from('\ufffd', 'utf8')), 'the log holds no byte that is not UTF-8');
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  const access = lines.map((l) => JSON.parse(l)).filter((o) => o.level === 'access');
  const mine = access.find((o) => o.path.startsWith('/api/v1/\\xFF\\xFE/'));
  assert.ok(mine, access.map((o) => o.path).join('\n'));
  assert.equal(mine.path, '/api/v1/\\xFF\\xFE/\\xE5\\xB7/\\xC0\\xAF');
});

// ---- slow clients ----

const delay = (ms) => new Promise((res) => setTimeout(res, ms));

// GET /healthz on a fresh connection from 127.0.0.1; the time it took, or
// Infinity when it did not answer 200 within two seconds.
async function healthz(p) {
  const r = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {
    wait: 2000,
    p,
    localAddress: '127.0.0.1',
  });
  return r.status === 200 ? r.ms : Infinity;
}

test('slow-loris: a per-IP cap, a header deadline and a body rate; /healthz answers others throughout', async () => {
  const HOLD = 120,
    CAP = 16,
    DEADLINE = 2;
  const slow = await startServer({
    demo: false,
    args: [
      '--max-conns-per-ip',
      String(CAP),
      '--header-timeout',
      String(DEADLINE),
      '--min-rate',
      '1024',
      '--max-conns',
      '100',
    ],
  });
  const p = Number(new URL(slow.url).port);
  try {
    // One client (127.0.0.2) opens HOLD connections and sends a header line
    // on each every 300 ms, never finishing.
    const socks = [];
    const closedAt = [];
    const t0 = Date.now();
    for (let i = 0; i < HOLD; i++) {
      const s = net.connect({ port: p, host: '127.0.0.1', localAddress: '127.0.0.2' });
      s.on('error', () => {});
      s.on('close', () => closedAt.push(Date.now() - t0));
      s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
      socks.push(s);
    }
    const ticker = setInterval(() => {
      for (const s of socks) if (!s.destroyed && s.writable) s.write(`X-Slow-${Date.now() % 1000}: 1\r\n`);
    }, 300);
    // A slow body from another address: 10 bytes every 300 ms of 100000.
    const body = net.connect({ port: p, host: '127.0.0.1', localAddress: '127.0.0.3' });
    let bodyClosed = 0;
    body.on('error', () => {});
    body.on('close', () => (bodyClosed = Date.now() - t0));
    body.on('connect', () =>
      body.write(
        'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
      ),
    );
    const bodyTicker = setInterval(() => body.writable && body.write('x'.repeat(10)), 300);
    // Meanwhile /healthz from 127.0.0.1, on fresh connections.
    const lat = [];
    while (Date.now() - t0 < (DEADLINE + 2) * 1000) {
      lat.push(await healthz(p));
      await delay(100);
    }
    clearInterval(ticker);
    clearInterval(bodyTicker);
    const early = closedAt.filter((t) => t < 1000).length;
    const all = closedAt.length;
    for (const s of socks) s.destroy();
    body.destroy();
    lat.sort((a, b) => a - b);
    const median = lat[Math.floor(lat.length / 2)],
      worst = lat[lat.length - 1];
    console.log(
      `slow-loris: ${HOLD} connections from one address, cap ${CAP}: ${early} refused at once, ${all} closed within ${DEADLINE + 2} s; slow body closed after ${bodyClosed} ms; /healthz from another address: ${lat.length} answers, median ${median} ms, worst ${worst} ms`,
    );
    assert.ok(early >= HOLD - CAP, `connections over the per-IP cap are refused at once (${early})`);
    assert.equal(all, HOLD, 'the held ones are closed by the header deadline');
    assert.ok(bodyClosed > 0 && bodyClosed < (DEADLINE + 2) * 1000, `the slow body is cut off (${bodyClosed} ms)`);
    assert.ok(worst < 1000, `/healthz answered every time within a second (worst ${worst} ms)`);
    assert.ok(lat.length >= 10);
  } finally {
    await slow.stop();
  }
});

test('many addresses, each under the cap, fill the server: the longest-waiting are closed and /healthz still answers', async () => {
  const slow = await startServer({ demo: false, args: ['--max-conns', '60', '--header-timeout', '30'] });
  const p = Number(new URL(slow.url).port);
  try {
    const socks = [];
    let closed = 0;
    for (let i = 0; i < 80; i++) {
      const s = net.connect({ port: p, host: '127.0.0.1', localAddress: `127.0.0.${10 + (i % 8)}` });
      s.on('error', () => {});
      s.on('close', () => closed++);
      s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
      socks.push(s);
    }
    await delay(1500);
    const lat = [];
    for (let i = 0; i < 10; i++) {
      lat.push(await healthz(p));
      await delay(100);
    }
    for (const s of socks) s.destroy();
    assert.ok(closed >= 20, `slow connections closed: ${closed}`);
    assert.ok(
      lat.every((x) => x < 1000),
      `/healthz: ${lat.join(', ')} ms`,
    );
  } finally {
    await slow.stop();
  }
});

test('kept-alive connections: idle is fine, a trickled next request is cut off', async () => {
  const slow = await startServer({ demo: false, args: ['--header-timeout', '2'] });
  const p = Number(new URL(slow.url).port);
  try {
    // Idle past the header deadline between two requests: still served.
    const idle = await new Promise((resolve) => {
      const s = net.connect({ port: p, host: '127.0.0.1' }, () => s.write(SMUGGLED));
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('error', () => resolve({ text, err: true }));
      setTimeout(() => s.write(SMUGGLED), 3200);
      setTimeout(() => {
        s.destroy();
        resolve({ text });
      }, 3800);
    });
    assert.equal((idle.text.match(/HTTP\/1\.1 200 /g) || []).length, 2, idle.text);
    // The next request's headers trickled in: closed about two seconds after
    // its first byte.
    const t = await new Promise((resolve) => {
      const s = net.connect({ port: p, host: '127.0.0.1' }, () => s.write(SMUGGLED));
      let t1 = 0,
        timer;
      s.on('data', () => {
        if (t1) return;
        t1 = Date.now();
        s.write('GET /healthz HTTP/1.1\r\n');
        timer = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 300);
      });
      s.on('error', () => {});
      s.on('close', () => {
        clearInterval(timer);
        resolve(Date.now() - t1);
      });
      setTimeout(() => s.destroy(), 6000);
    });
    assert.ok(t >= 1500 && t < 4000, `cut off after ${t} ms`);
  } finally {
    await slow.stop();
  }
});
