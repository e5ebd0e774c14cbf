// Referral proof tab: a participant's balance and reward records, each Merkle proof checked in this browser.
'use strict';

(() => {
  const { api, el, fmt } = PEL;

  /** 8 bytes big-endian, as the ledger stores counters. */
  const decodeLong = hex => hex == null ? 0n : BigInt('0x' + (hex || '0'));

  PEL.registerTab({ id: 'referral-proof', title: 'Referral proof', async render(view, arg) {
    const input = el('input', { id: 'ref-proof-input', value: arg ? decodeURIComponent(arg) : '',
      placeholder: 'referral code, or campaign/account (64 hex digits)' });
    const out = el('div', { id: 'ref-proof-result', class: 'result' });
    const items = el('table', { id: 'ref-proof-items' });

    const check = async () => {
      out.className = 'result'; out.textContent = 'checking…'; delete out.dataset.verified; items.replaceChildren();
      try {
        if (!window.crypto || !crypto.subtle) throw new Error('this page is not a secure context (use localhost)');
        const q = input.value.trim();
        const path = q.includes('/')
          ? '/api/v1/campaigns/' + encodeURIComponent(q.split('/')[0]) + '/participants/'
            + encodeURIComponent(q.split('/')[1].toLowerCase()) + '/proof'
          : '/api/v1/codes/' + encodeURIComponent(q) + '/proof';
        const p = await api(path);
        const rows = [];
        const add = async (what, value, state, extra) => {
          const ok = (await PEL.verifyProof(state)) && extra;
          rows.push({ what, value, state, ok });
        };
        if (p.codeOwner) await add('code ' + p.codeOwner.code + ' → ' + fmt.short(p.account), 'owner record',
          p.codeOwner.state, p.codeOwner.state.value != null);
        await add('points', p.points.amount, p.points.state,
          decodeLong(p.points.state.value) === BigInt(p.points.amount));
        await add('credit', p.credit.amount, p.credit.state,
          decodeLong(p.credit.state.value) === BigInt(p.credit.amount));
        for (const r of p.rewards) {
          await add('reward ' + fmt.short(r.reward.id), r.reward.amount + ' ' + r.reward.kind.toLowerCase() + ', '
            + r.reward.status + ' (' + r.reward.source.toLowerCase() + ')', r.state,
            r.state.value === r.reward.encoded);
        }
        const all = rows.every(r => r.ok);
        out.className = 'result ' + (all ? 'ok' : 'bad');
        out.dataset.verified = String(all);
        out.textContent = (all ? 'verified' : 'failed') + ': ' + rows.filter(r => r.ok).length + ' of ' + rows.length
          + ' proofs hold for ' + fmt.short(p.account) + ' in ' + p.campaign;
        items.replaceChildren(el('tr', {}, ['Item', 'Value', 'Height', 'State root', 'Check'].map(h => el('th', {}, h))),
          ...rows.map(r => el('tr', { class: 'proof-item', 'data-verified': String(r.ok) }, el('td', {}, r.what),
            el('td', {}, String(r.value)), el('td', {}, r.state.height),
            el('td', { class: 'hash' }, fmt.short(r.state.stateRoot)),
            el('td', { class: r.ok ? 'ok' : 'bad' }, r.ok ? 'verified' : 'failed'))));
      } catch (e) {
        out.className = 'result bad'; out.dataset.verified = 'false'; out.textContent = 'error: ' + e.message;
      }
    };
    view.append(el('section', {}, el('h2', {}, 'Check a participant\'s referral rewards in this browser'),
      el('p', { class: 'muted' }, 'Fetches the balance and every reward record with their Merkle proofs and ' +
        'recomputes each state root with crypto.subtle SHA-256; counters must decode to the amount shown, reward ' +
        'records must be the exact stored bytes.'),
      el('p', {}, input, ' ', el('button', { id: 'ref-proof-check', onclick: check }, 'Verify')), out, items));
    if (arg) await check();
  } });
})();
