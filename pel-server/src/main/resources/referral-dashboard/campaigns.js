// Campaigns tab: the list, and a campaign's page — leaderboard, funnel per channel, stats, review queue.
'use strict';

(() => {
  const { api, el, fmt } = PEL;

  const loadAdmin = () => window.PELADMIN ? Promise.resolve() : new Promise(resolve => {
    const s = el('script', { src: '/referral/admin.js' });
    s.onload = resolve; s.onerror = resolve;
    document.body.append(s);
  });

  async function list(view) {
    const table = el('table', { id: 'campaign-list' });
    const draw = async () => {
      const c = await api('/api/v1/campaigns');
      table.replaceChildren(el('tr', {}, ['Campaign', 'Version', 'Status', 'Spent / budget', 'Participants']
        .map(h => el('th', {}, h))), ...c.campaigns.map(k => el('tr', { class: 'clickable campaign-row',
        'data-id': k.id, onclick: () => PEL.go('campaigns/' + k.id) },
        el('td', {}, k.id), el('td', {}, k.version), el('td', {}, k.paused ? 'paused' : 'running'),
        el('td', {}, fmt.num(k.spent, 0) + ' / ' + fmt.num(k.budget, 0)), el('td', {}, fmt.num(k.participants, 0)))));
      if (!c.campaigns.length) table.append(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No campaigns yet.')));
    };
    view.append(el('section', {}, el('h2', {}, 'Referral campaigns'), table));
    await draw();
    let t = null;
    const off = PEL.onBlock(() => { if (!t) t = setTimeout(() => { t = null; draw().catch(() => {}); }, 1000); });
    return () => { off(); clearTimeout(t); };
  }

  async function page(view, id) {
    await loadAdmin();
    const base = '/api/v1/campaigns/' + encodeURIComponent(id);
    const card = (cid, label) => el('div', { class: 'card' }, el('div', { class: 'label' }, label),
      el('div', { class: 'value', id: cid }, '–'));
    const leaderboard = el('table', { id: 'leaderboard' });
    const reviews = el('table', { id: 'review-queue' });
    const reviewStatus = el('p', { id: 'review-status', class: 'muted' });
    const fraud = el('table', { id: 'fraud-caught' });
    const canvas = el('canvas', { id: 'chart-funnel' });
    view.append(el('h2', {}, 'Campaign ', el('span', { id: 'campaign-id' }, id), ' ',
      el('a', { href: '#campaigns', class: 'muted' }, '(all campaigns)')),
      el('div', { class: 'cards' }, card('cp-status', 'Status'), card('cp-spent', 'Spent / budget'),
        card('cp-participants', 'Participants'), card('cp-viral', 'Viral coefficient'),
        card('cp-ttr', 'Time to reward (median)'), card('cp-fraud', 'Fraud caught')),
      el('div', { class: 'charts' }, el('section', {}, el('h2', {}, 'Leaderboard'), leaderboard),
        el('section', {}, el('h2', {}, 'Funnel per channel'), el('div', { class: 'chart' }, canvas))),
      el('section', {}, el('h2', {}, 'Review queue'), PELADMIN.bar(), reviewStatus, reviews),
      el('section', {}, el('h2', {}, 'Fraud caught by rule'), fraud));

    const chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [
        { label: 'Clicks', data: [], backgroundColor: '#4fb3ff' },
        { label: 'Sign-ups', data: [], backgroundColor: '#ffb84f' },
        { label: 'Conversions', data: [], backgroundColor: '#5fd38d' }] },
      options: { animation: false, maintainAspectRatio: false, responsive: true,
        scales: { x: { ticks: { color: '#8a96a3' } }, y: { beginAtZero: true, ticks: { color: '#8a96a3' } } },
        plugins: { legend: { labels: { color: '#e6e6e6' } } } },
    });
    PEL.charts.funnel = chart;

    const decide = async (reward, action) => {
      reviewStatus.className = 'muted';
      reviewStatus.textContent = action + ' ' + fmt.short(reward) + '…';
      try {
        const r = await PELADMIN.call('POST', '/api/v1/admin/rewards/' + reward + '/' + action + '?wait=10000',
          { reason: action + 'd in the dashboard' });
        if (r.outcome && r.outcome.success === false) throw new Error(r.outcome.code + ': ' + r.outcome.message);
        const rec = await api('/api/v1/rewards/' + reward);
        reviewStatus.className = 'ok';
        reviewStatus.dataset.reward = reward;
        reviewStatus.dataset.status = rec.status;
        reviewStatus.textContent = 'reward ' + fmt.short(reward) + ': ' + rec.status;
      } catch (e) {
        reviewStatus.className = 'bad';
        reviewStatus.textContent = action + ' failed: ' + e.message;
      }
      await draw();
    };

    const draw = async () => {
      const [c, lb, fn, st, rq] = await Promise.all([api(base), api(base + '/leaderboard?limit=20'),
        api(base + '/funnel'), api(base + '/stats'), api(base + '/reviews')]);
      document.getElementById('cp-status').textContent = (c.paused ? 'paused' : 'running') + ' · v' + c.version;
      document.getElementById('cp-spent').textContent = fmt.num(c.spent, 0) + ' / ' + fmt.num(c.budget, 0);
      document.getElementById('cp-participants').textContent = fmt.num(c.participants, 0);
      document.getElementById('cp-viral').textContent = fmt.num(st.viralCoefficient, 2);
      document.getElementById('cp-ttr').textContent = st.timeToReward.count
        ? fmt.num(st.timeToReward.medianMillis / 1000, 1) + ' s' : '–';
      document.getElementById('cp-fraud').textContent = fmt.num(st.fraudCaughtTotal, 0);
      leaderboard.replaceChildren(el('tr', {}, ['Rank', 'Account', 'Score', 'Badges'].map(h => el('th', {}, h))),
        ...lb.leaderboard.map(r => el('tr', { class: 'lb-row', 'data-account': r.account },
          el('td', {}, r.rank), el('td', { class: 'hash', title: r.account }, fmt.short(r.account)),
          el('td', {}, fmt.num(r.score, 0)),
          el('td', {}, r.badges.map(b => el('span', { class: 'badge' }, b))))));
      if (!lb.leaderboard.length) leaderboard.append(el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No rewards yet.')));
      const channels = Object.keys(fn.byChannel);
      chart.data.labels = channels;
      chart.data.datasets[0].data = channels.map(ch => fn.byChannel[ch].clicks);
      chart.data.datasets[1].data = channels.map(ch => fn.byChannel[ch].signUps);
      chart.data.datasets[2].data = channels.map(ch => fn.byChannel[ch].conversions);
      chart.update();
      reviews.replaceChildren(el('tr', {}, ['Reward', 'To', 'Amount', 'Reason', ''].map(h => el('th', {}, h))),
        ...rq.reviews.map(r => el('tr', { class: 'review-row', 'data-reward': r.reward },
          el('td', { class: 'hash', title: r.reward }, fmt.short(r.reward)),
          el('td', { class: 'hash', title: r.to }, fmt.short(r.to)),
          el('td', {}, fmt.num(r.amount, 0) + ' ' + r.kind.toLowerCase()), el('td', {}, r.reason),
          el('td', {}, el('button', { class: 'approve', onclick: () => decide(r.reward, 'approve') }, 'Approve'), ' ',
            el('button', { class: 'reject', onclick: () => decide(r.reward, 'reject') }, 'Reject')))));
      if (!rq.reviews.length) reviews.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', id: 'review-empty' },
        'Nothing waits for review.')));
      fraud.replaceChildren(el('tr', {}, el('th', {}, 'Rule'), el('th', {}, 'Sign-ups caught')),
        ...Object.entries(st.fraudCaught).map(([rule, n]) => el('tr', {}, el('td', {}, rule), el('td', {}, n))),
        el('tr', {}, el('td', { class: 'muted' }, 'Non-participants (joined, never shared)'),
          el('td', {}, st.nonParticipants)));
      view.dataset.height = String(c.height);
    };
    await draw();
    let t = null;
    const off = PEL.onBlock(() => { if (!t) t = setTimeout(() => { t = null; draw().catch(() => {}); }, 500); });
    return () => { off(); clearTimeout(t); chart.destroy(); delete PEL.charts.funnel; };
  }

  PEL.registerTab({ id: 'campaigns', title: 'Campaigns', render(view, arg) {
    return arg ? page(view, decodeURIComponent(arg)) : list(view);
  } });
})();
