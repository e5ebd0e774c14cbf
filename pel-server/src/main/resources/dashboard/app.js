// The dashboard's frame: tabs, routing by URL fragment (#tab/argument), the live event stream, JSON fetching.
// Pages register with PEL.registerTab({id, title, render(element, argument)}); a render may return a cleanup
// function, called when the page is left. API modules add tabs the same way: the server lists their scripts at
// /api/v1/dashboard/modules and they are loaded after the built-in pages.
'use strict';

window.PEL = (() => {
  const tabs = [];
  const blockListeners = new Set();
  let cleanup = null;

  async function api(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({ code: 'BAD_RESPONSE', message: 'not JSON' }));
    if (!r.ok) {
      const err = new Error(body.message || r.statusText);
      err.code = body.code;
      err.status = r.status;
      throw err;
    }
    return body;
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function registerTab(tab) {
    if (tabs.some(t => t.id === tab.id)) return;
    tabs.push(tab);
    renderNav();
  }

  function renderNav() {
    const nav = document.getElementById('tabs');
    nav.replaceChildren(...tabs.map(t => el('a', { href: '#' + t.id, id: 'tab-' + t.id }, t.title)));
    markActive();
  }

  function current() {
    const [id, ...rest] = location.hash.slice(1).split('/');
    return { id: id || (tabs[0] && tabs[0].id), arg: rest.join('/') };
  }

  function markActive() {
    const { id } = current();
    document.querySelectorAll('#tabs a').forEach(a => a.classList.toggle('active', a.id === 'tab-' + id));
  }

  async function route() {
    const { id, arg } = current();
    const tab = tabs.find(t => t.id === id) || tabs[0];
    if (!tab) return;
    markActive();
    if (typeof cleanup === 'function') cleanup();
    cleanup = null;
    const view = document.getElementById('view');
    view.replaceChildren();
    view.dataset.page = tab.id;
    try {
      cleanup = await tab.render(view, arg);
    } catch (e) {
      view.append(el('p', { class: 'bad' }, 'Could not load: ' + e.message));
    }
  }

  function go(hash) {
    if (location.hash === '#' + hash) route(); else location.hash = hash;
  }

  function onBlock(fn) {
    blockListeners.add(fn);
    return () => blockListeners.delete(fn);
  }

  function connect() {
    const live = document.getElementById('live');
    const source = new EventSource('/api/v1/stream');
    source.onopen = () => live.classList.add('on');
    source.onerror = () => live.classList.remove('on');
    source.addEventListener('block', ev => {
      const block = JSON.parse(ev.data);
      PEL.lastBlock = block;
      blockListeners.forEach(fn => { try { fn(block); } catch (e) { console.error(e); } });
    });
    return source;
  }

  async function start() {
    window.addEventListener('hashchange', route);
    PEL.stream = connect();
    try {
      const chain = await api('/api/v1/chain');
      document.getElementById('chain-id').textContent = chain.chainId;
    } catch (e) { /* shown by the pages */ }
    try {
      const modules = await api('/api/v1/dashboard/modules');
      await Promise.all(modules.pages.map(p => new Promise(resolve => {
        const s = el('script', { src: p.script });
        s.onload = resolve;
        s.onerror = resolve; // a broken module must not take the dashboard down
        document.body.append(s);
      })));
    } catch (e) { console.error('modules', e); }
    await route();
    PEL.ready = true;
  }

  const fmt = {
    num: (x, digits = 1) => x == null ? '–' : Number(x).toLocaleString(undefined, { maximumFractionDigits: digits }),
    ms: nanos => nanos == null ? '–' : (nanos / 1e6).toFixed(2) + ' ms',
    time: millis => new Date(millis).toLocaleTimeString(),
    short: hex => hex ? hex.slice(0, 10) + '…' + hex.slice(-6) : '',
  };

  return { api, el, registerTab, onBlock, go, start, fmt, charts: {}, ready: false };
})();
