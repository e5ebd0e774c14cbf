// The built-in pages: overview, explorer, timeline, proof checker. Then the dashboard starts.
'use strict';

(() => {
  const { api, el, fmt } = PEL;
  const MAX_POINTS = 120;

  // ---- overview: cards and charts, fed by /api/v1/chain/recent and then the live stream ----
  PEL.registerTab({ id: 'overview', title: 'Overview', async render(view) {
    const card = (id, label) => el('div', { class: 'card' }, el('div', { class: 'label' }, label),
      el('div', { class: 'value', id }, '–'));
    view.append(el('div', { class: 'cards' }, card('ov-height', 'Height'), card('ov-tps', 'Tx/s'),
      card('ov-speedup', 'Parallel speed-up (est.)'), card('ov-reexec', 'Re-executions per tx'),
      card('ov-pending', 'Pending')));
    const charts = el('div', { class: 'charts' });
    view.append(charts, el('p', { class: 'muted' }, 'Speed-up: time of the incarnations that counted, summed over ' +
      'workers, over the engine\'s wall time for the block (needs traced blocks). Tx/s: by block timestamps over ' +
      'the last 10 s.'));
    const make = (id, label, color) => {
      const canvas = el('canvas', { id });
      charts.append(el('div', { class: 'chart' }, canvas));
      return new Chart(canvas, {
        type: 'line',
        data: { labels: [], datasets: [{ label, data: [], borderColor: color, backgroundColor: color,
          pointRadius: 0, tension: 0.2 }] },
        options: { animation: false, maintainAspectRatio: false, responsive: true,
          scales: { x: { ticks: { color: '#8a96a3', maxTicksLimit: 8 } },
                    y: { beginAtZero: true, ticks: { color: '#8a96a3' } } },
          plugins: { legend: { labels: { color: '#e6e6e6' } } } },
      });
    };
    const tps = make('chart-tps', 'Tx/s', '#4fb3ff');
    const speedup = make('chart-speedup', 'Speed-up', '#5fd38d');
    const reexec = make('chart-reexec', 'Re-executions per tx', '#ffb84f');
    PEL.charts = { tps, speedup, reexec };
    const push = b => {
      for (const [chart, value] of [[tps, b.tps], [speedup, b.speedup], [reexec, b.reexecPerTx]]) {
        chart.data.labels.push(String(b.height));
        chart.data.datasets[0].data.push(value == null ? null : value);
        if (chart.data.labels.length > MAX_POINTS) {
          chart.data.labels.shift();
          chart.data.datasets[0].data.shift();
        }
      }
    };
    const cards = async () => {
      const c = await api('/api/v1/chain');
      document.getElementById('ov-height').textContent = fmt.num(c.height, 0);
      document.getElementById('ov-tps').textContent = fmt.num(c.tps);
      document.getElementById('ov-speedup').textContent = c.speedup == null ? 'n/a' : fmt.num(c.speedup, 2) + '×';
      document.getElementById('ov-reexec').textContent = fmt.num(c.reexecPerTx, 3);
      document.getElementById('ov-pending').textContent = fmt.num(c.pending, 0);
    };
    const recent = await api('/api/v1/chain/recent?limit=' + MAX_POINTS);
    recent.blocks.forEach(push);
    [tps, speedup, reexec].forEach(c => c.update());
    await cards();
    let refresh = null;
    const off = PEL.onBlock(b => {
      push(b);
      [tps, speedup, reexec].forEach(c => c.update());
      if (!refresh) refresh = setTimeout(() => { refresh = null; cards().catch(() => {}); }, 500);
    });
    return () => { off(); clearTimeout(refresh); [tps, speedup, reexec].forEach(c => c.destroy()); PEL.charts = {}; };
  } });

  // ---- explorer: block list → a block → its transactions and outcomes ----
  function outcomeCell(o) {
    if (!o) return el('td', {}, '–');
    return o.success ? el('td', { class: 'ok' }, 'ok')
                     : el('td', { class: 'bad', title: o.message || '' }, o.code || 'failed');
  }

  async function blockList(view, before) {
    const page = await api('/api/v1/blocks?summary=true&limit=20' + (before ? '&before=' + before : ''));
    const rows = page.blocks.map(b => el('tr', { class: 'clickable block-row', 'data-height': b.height,
        onclick: () => PEL.go('explorer/' + b.height) },
      el('td', {}, b.height), el('td', {}, fmt.time(b.timestampMillis)), el('td', {}, b.transactionCount),
      el('td', {}, b.reexecPerTx == null ? '–' : fmt.num(b.reexecPerTx, 3)),
      el('td', {}, b.speedup == null ? '–' : fmt.num(b.speedup, 2) + '×'),
      el('td', { class: 'hash' }, fmt.short(b.hash))));
    view.append(el('section', {}, el('h2', {}, 'Blocks'),
      el('table', { id: 'block-list' }, el('tr', {}, ...['Height', 'Time', 'Txs', 'Re-exec/tx', 'Speed-up', 'Hash']
        .map(h => el('th', {}, h))), rows),
      page.nextBefore != null ? el('p', {}, el('button', { onclick: () => PEL.go('explorer/before-' + page.nextBefore) },
        'Older blocks')) : null));
  }

  async function blockDetail(view, height) {
    const b = await api('/api/v1/blocks/' + height);
    const field = (k, v, cls) => el('tr', {}, el('th', {}, k), el('td', { class: cls || '' }, v));
    view.append(el('section', { id: 'block-detail', 'data-height': b.height },
      el('h2', {}, 'Block ' + b.height),
      el('p', {}, el('a', { href: '#explorer' }, '← all blocks'), ' · ',
        b.traced ? el('a', { href: '#timeline/' + b.height, id: 'to-timeline' }, 'execution timeline') :
          el('span', { class: 'muted' }, 'no trace kept for this block')),
      el('table', {},
        field('Hash', b.hash, 'hash'), field('Parent', b.parentHash, 'hash'),
        field('Time', new Date(b.timestampMillis).toISOString()),
        field('Transaction root', b.transactionRoot, 'hash'), field('State root', b.stateRoot, 'hash'),
        b.timings ? field('Timings', 'execution ' + fmt.ms(b.timings.executionNanos) + ', merkle ' +
          fmt.ms(b.timings.merkleNanos) + ', write ' + fmt.ms(b.timings.writeNanos) + ', total ' +
          fmt.ms(b.timings.totalNanos)) : null,
        b.stats ? field('Engine', b.stats.path + ' on ' + b.stats.threads + ' threads: ' + b.stats.executions +
          ' executions, ' + b.stats.reexecutions + ' re-executions, ' + b.stats.validations + ' validations (' +
          b.stats.failedValidations + ' failed), ' + b.stats.suspensions + ' suspensions') : null)),
      el('section', {}, el('h2', {}, b.transactionCount + ' transactions'),
        el('table', { id: 'block-transactions' },
          el('tr', {}, ...['#', 'Hash', 'Sender', 'Nonce', 'Type', 'Outcome'].map(h => el('th', {}, h))),
          b.transactions.map(t => el('tr', { class: 'tx-row' }, el('td', {}, t.index),
            el('td', { class: 'hash' }, fmt.short(t.hash)), el('td', { class: 'hash' }, fmt.short(t.sender)),
            el('td', {}, t.nonce), el('td', {}, t.payloadType), outcomeCell(t.outcome))))));
  }

  PEL.registerTab({ id: 'explorer', title: 'Explorer', async render(view, arg) {
    if (arg && /^\d+$/.test(arg)) return blockDetail(view, arg);
    const before = arg && arg.startsWith('before-') ? arg.slice(7) : null;
    await blockList(view, before);
    if (!before) {
      const off = PEL.onBlock(() => {
        const list = document.getElementById('block-list');
        if (list && !list.dataset.stale) { list.dataset.stale = '1'; setTimeout(() => PEL.go('explorer'), 1000); }
      });
      return off;
    }
  } });

  // ---- timeline: workers × time, one bar per task; re-executions marked ----
  async function latestTracedHeight() {
    const page = await api('/api/v1/blocks?summary=true&limit=50');
    const b = page.blocks.find(x => x.traced);
    return b ? b.height : null;
  }

  PEL.registerTab({ id: 'timeline', title: 'Timeline', async render(view, arg) {
    const height = arg && /^\d+$/.test(arg) ? Number(arg) : await latestTracedHeight();
    if (height == null) {
      view.append(el('p', { class: 'muted' }, 'No traced block yet: start the node with tracing on (pel serve does).'));
      return;
    }
    const t = await api('/api/v1/blocks/' + height + '/trace');
    const wall = Math.max(1, t.wallNanos, ...t.events.map(e => e.endNanos));
    const lanes = [];
    for (let w = 0; w < t.workers; w++) {
      const lane = el('div', { class: 'lane' }, el('span', { class: 'name' }, 'worker ' + w));
      lanes.push(lane);
    }
    for (const e of t.events) {
      const cls = ['bar', e.kind.toLowerCase(), e.result.toLowerCase()];
      if (e.kind === 'EXECUTE' && e.incarnation > 0) cls.push('reexec');
      const bar = el('div', { class: cls.join(' '),
        title: `tx ${e.transaction} incarnation ${e.incarnation}: ${e.kind} ${e.result}` +
          (e.key ? ` on key ${e.key}` : '') + ', ' +
          `${((e.endNanos - e.startNanos) / 1000).toFixed(1)} µs` });
      bar.style.left = (100 * e.startNanos / wall) + '%';
      bar.style.width = Math.max(0.15, 100 * (e.endNanos - e.startNanos) / wall) + '%';
      lanes[e.worker].append(bar);
    }
    const hot = t.reexecuted;
    view.append(el('section', {}, el('h2', {}, 'Block ' + height + ' execution — ' + t.events.length + ' tasks on ' +
        t.workers + ' workers, ' + fmt.ms(wall)),
      el('p', {}, el('a', { href: '#explorer/' + height }, 'block ' + height), ' · ',
        el('button', { onclick: async () => { const h = await latestTracedHeight(); PEL.go('timeline/' + h); } },
          'Latest block')),
      el('p', { class: 'legend' },
        el('span', {}, el('i', { style: 'background:#4fb3ff' }), 'execution'),
        el('span', {}, el('i', { style: 'background:#ffb84f' }), 're-execution (incarnation > 0)'),
        el('span', {}, el('i', { style: 'background:#7d8fa3' }), 'validation'),
        el('span', {}, el('i', { style: 'outline:2px solid #ff6b6b' }), 'aborted / suspended')),
      el('div', { class: 'timeline', id: 'timeline' }, lanes)),
      el('section', { id: 'hot-keys' }, el('h2', {}, 'Hot keys'),
        el('p', { class: 'muted' }, 'State keys behind aborted validations and suspended executions in this ' +
          'block, most first: what serialized it. Paste one into the proof checker to see its value.'),
        t.hotKeys.length === 0 ? el('p', {}, 'No conflicts in this block.') :
          el('table', {}, el('tr', {}, el('th', {}, 'Key (hex)'), el('th', {}, 'Conflicts')),
            t.hotKeys.map(k => el('tr', {}, el('td', { class: 'hash' },
              el('a', { href: '#proof/' + k.key }, k.key)), el('td', {}, k.conflicts))))),
      el('section', { id: 'hot-spots' }, el('h2', {}, 'Re-executed transactions'),
        el('p', { class: 'muted' }, 'Transactions of this block that ran more than once, most first.'),
        hot.length === 0 ? el('p', {}, 'No re-executions in this block.') :
          el('table', {}, el('tr', {}, el('th', {}, 'Transaction'), el('th', {}, 'Executions'),
            el('th', {}, 'Aborts + suspensions')),
            hot.map(h => el('tr', {}, el('td', {}, h.transaction), el('td', {}, h.executions),
              el('td', {}, h.abortsAndSuspensions))))));
  } });

  // ---- proof checker: verify a state proof in the browser with SHA-256 alone ----
  const hexToBytes = hex => new Uint8Array(hex.match(/../g)?.map(h => parseInt(h, 16)) || []);
  const bytesToHex = b => Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  const sha256 = async (...parts) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { all.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  };

  /** The algorithm of SparseMerkleTree.verify; see "algorithm" in the proof JSON. */
  async function verifyProof(s) {
    const keyHash = await sha256(hexToBytes(s.key));
    const bit = i => (keyHash[i >> 3] >> (7 - (i & 7))) & 1;
    const { siblings, leaf } = s.proof;
    let h;
    if (s.value != null) {
      if (leaf) return false;
      h = await sha256(Uint8Array.of(0), keyHash, await sha256(hexToBytes(s.value)));
    } else if (leaf) {
      const other = hexToBytes(leaf.keyHash);
      if (bytesToHex(other) === bytesToHex(keyHash)) return false;
      for (let i = 0; i < siblings.length; i++) {
        if (((other[i >> 3] >> (7 - (i & 7))) & 1) !== bit(i)) return false;
      }
      h = await sha256(Uint8Array.of(0), other, hexToBytes(leaf.valueHash));
    } else {
      h = new Uint8Array(32);
    }
    for (let i = siblings.length - 1; i >= 0; i--) {
      const sib = hexToBytes(siblings[i]);
      h = bit(i) === 0 ? await sha256(Uint8Array.of(1), h, sib) : await sha256(Uint8Array.of(1), sib, h);
    }
    return bytesToHex(h) === s.stateRoot;
  }
  PEL.verifyProof = verifyProof;

  PEL.registerTab({ id: 'proof', title: 'Proof checker', async render(view, arg) {
    const input = el('input', { id: 'proof-input', placeholder: 'account id (64 hex digits) or state key (hex)',
      value: arg || '' });
    const out = el('div', { id: 'proof-result', class: 'result' });
    const details = el('div', { id: 'proof-details' });
    const check = async () => {
      out.className = 'result'; out.textContent = 'checking…'; details.replaceChildren();
      try {
        if (!window.crypto || !crypto.subtle) throw new Error('this page is not a secure context (use localhost)');
        let q = input.value.trim().toLowerCase();
        let what = 'key ' + q;
        if (/^[0-9a-f]{64}$/.test(q)) {
          const acct = await api('/api/v1/accounts/' + q);
          what = 'balance of account ' + fmt.short(q) + ' = ' + acct.balance;
          q = acct.balanceKey;
        }
        const s = await api('/api/v1/state/' + q);
        const ok = await verifyProof(s);
        out.className = 'result ' + (ok ? 'ok' : 'bad');
        out.textContent = ok ? 'verified' : 'failed';
        out.dataset.verified = String(ok);
        details.append(el('p', {}, what), el('table', {},
          el('tr', {}, el('th', {}, 'Value'), el('td', { class: 'hash' }, s.value == null ? '(absent)' : s.value)),
          el('tr', {}, el('th', {}, 'Height'), el('td', {}, s.height)),
          el('tr', {}, el('th', {}, 'State root'), el('td', { class: 'hash' }, s.stateRoot)),
          el('tr', {}, el('th', {}, 'Proof depth'), el('td', {}, s.proof.depth)),
          el('tr', {}, el('th', {}, 'Algorithm'), el('td', { class: 'muted' }, s.proof.algorithm))));
      } catch (e) {
        out.className = 'result bad'; out.textContent = 'error: ' + e.message; out.dataset.verified = 'false';
      }
    };
    view.append(el('section', {}, el('h2', {}, 'Check a Merkle proof in this browser'),
      el('p', { class: 'muted' }, 'Fetches the value and its proof from /api/v1/state and recomputes the state ' +
        'root with crypto.subtle SHA-256: nothing from the server is trusted but the root.'),
      el('p', {}, input, ' ', el('button', { id: 'proof-check', onclick: check }, 'Verify')), out, details));
    if (arg) await check();
  } });

  PEL.start();
})();
