// Webhooks tab: subscriptions, their delivery log with outcomes, subscribe / retry / delete.
'use strict';

(() => {
  const { api, el, fmt } = PEL;

  const loadAdmin = () => window.PELADMIN ? Promise.resolve() : new Promise(resolve => {
    const s = el('script', { src: '/referral/admin.js' });
    s.onload = resolve; s.onerror = resolve;
    document.body.append(s);
  });

  PEL.registerTab({ id: 'webhooks', title: 'Webhooks', async render(view, arg) {
    await loadAdmin();
    const stats = el('p', { id: 'webhook-stats', class: 'muted' });
    const subs = el('table', { id: 'webhook-list' });
    const log = el('div', { id: 'webhook-log' });
    const status = el('p', { id: 'webhook-status', class: 'muted' });
    const campaign = el('input', { id: 'wh-campaign', placeholder: 'campaign id or *', value: '*', style: 'width:10rem' });
    const types = el('input', { id: 'wh-types', placeholder: 'event types, comma-separated (empty: all)',
      style: 'width:18rem' });
    const url = el('input', { id: 'wh-url', placeholder: 'https://receiver.example/hook', style: 'width:22rem' });
    let selected = arg || null;

    const subscribe = async () => {
      try {
        const s = await PELADMIN.call('POST', '/api/v1/admin/webhooks', { campaign: campaign.value.trim() || '*',
          types: types.value.split(',').map(t => t.trim()).filter(Boolean), url: url.value.trim() });
        status.className = 'ok';
        status.textContent = 'subscribed ' + s.id + ' — its signing secret (shown once): ' + s.secret;
        selected = s.id;
      } catch (e) { status.className = 'bad'; status.textContent = 'subscribe failed: ' + e.message; }
      await draw();
    };
    const act = async (method, path, what) => {
      try {
        await PELADMIN.call(method, path);
        status.className = 'ok'; status.textContent = what;
      } catch (e) { status.className = 'bad'; status.textContent = e.message; }
      await draw();
    };

    const drawLog = async () => {
      if (!selected) { log.replaceChildren(); return; }
      const d = await PELADMIN.call('GET', '/api/v1/admin/webhooks/' + selected + '/deliveries?limit=100');
      log.replaceChildren(el('h2', {}, 'Deliveries to ' + d.subscription.url),
        el('p', {}, el('button', { id: 'wh-retry', onclick: () => act('POST', '/api/v1/admin/webhooks/' + selected
          + '/retry', 'retrying pending deliveries now') }, 'Retry pending now'), ' ',
          el('button', { id: 'wh-delete', onclick: () => { const id = selected; selected = null;
            act('DELETE', '/api/v1/admin/webhooks/' + id, 'deleted ' + id); } }, 'Delete subscription')),
        el('table', { id: 'webhook-deliveries' }, el('tr', {}, ['Time', 'Event', 'Type', 'Attempt', 'HTTP', 'Outcome',
          'Error'].map(h => el('th', {}, h))), ...d.deliveries.map(a => el('tr', { class: 'delivery-row' },
          el('td', {}, fmt.time(a.at)), el('td', { class: 'hash' }, a.event), el('td', {}, a.type),
          el('td', {}, a.attempt), el('td', {}, a.status || '–'),
          el('td', { class: a.outcome === 'DELIVERED' ? 'ok' : 'bad' }, a.outcome), el('td', { class: 'muted' }, a.error)))),
        el('p', { class: 'muted' }, d.pending.length + ' pending' + (d.pending.some(p => p.dead) ? ' (some dead)' : '')));
    };

    const draw = async () => {
      const st = await api('/api/v1/webhooks/stats');
      stats.textContent = st.subscriptions + ' subscriptions · ' + st.pending + ' pending · ' + st.delivered
        + ' delivered · ' + st.failedAttempts + ' failed attempts';
      if (!PELADMIN.token()) {
        subs.replaceChildren(el('tr', {}, el('td', { class: 'muted' }, 'Enter the admin token to see subscriptions.')));
        log.replaceChildren();
        return;
      }
      try {
        const list = await PELADMIN.call('GET', '/api/v1/admin/webhooks');
        subs.replaceChildren(el('tr', {}, ['Id', 'Campaign', 'Types', 'URL'].map(h => el('th', {}, h))),
          ...list.subscriptions.map(s => el('tr', { class: 'clickable webhook-row' + (s.id === selected ? ' active' : ''),
            'data-id': s.id, onclick: () => { selected = s.id; drawLog().catch(e => { status.textContent = e.message; }); } },
            el('td', {}, s.id), el('td', {}, s.campaign), el('td', {}, s.eventTypes.join(', ') || 'all'),
            el('td', { class: 'hash' }, s.url))));
        if (!list.subscriptions.length) subs.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No subscriptions.')));
        await drawLog();
      } catch (e) { status.className = 'bad'; status.textContent = e.message; }
    };

    view.append(el('section', {}, el('h2', {}, 'Webhooks'), stats, PELADMIN.bar(() => draw()), status,
      el('p', {}, campaign, ' ', types, ' ', url, ' ', el('button', { id: 'wh-subscribe', onclick: subscribe },
        'Subscribe')), subs), log);
    await draw();
    let t = null;
    const off = PEL.onBlock(() => { if (!t) t = setTimeout(() => { t = null; draw().catch(() => {}); }, 1500); });
    return () => { off(); clearTimeout(t); };
  } });
})();
