// Shared by the referral tabs: the admin token (asked once, kept in sessionStorage) and admin calls.
'use strict';

window.PELADMIN = window.PELADMIN || (() => {
  const KEY = 'pel.adminToken';
  const { el } = PEL;

  const token = () => sessionStorage.getItem(KEY);

  /** A bar that asks for the token when none is kept, or says one is and offers to forget it. */
  function bar(onChange) {
    const box = el('div', { class: 'admin-bar', id: 'admin-bar' });
    const draw = () => {
      if (token()) {
        box.replaceChildren(el('span', { class: 'muted', id: 'admin-token-set' }, 'Admin token set for this tab. '),
          el('button', { onclick: () => { sessionStorage.removeItem(KEY); draw(); onChange && onChange(); } },
            'Forget'));
      } else {
        const input = el('input', { id: 'admin-token', type: 'password', placeholder: 'admin token (for approve, '
          + 'reject, webhooks)', style: 'width:22rem' });
        box.replaceChildren(input, ' ', el('button', { id: 'admin-token-save', onclick: () => {
          if (input.value.trim()) { sessionStorage.setItem(KEY, input.value.trim()); draw(); onChange && onChange(); }
        } }, 'Use token'));
      }
    };
    draw();
    return box;
  }

  async function call(method, path, body) {
    if (!token()) {
      const err = new Error('enter the admin token first');
      err.code = 'NO_TOKEN';
      throw err;
    }
    const r = await fetch(path, { method, headers: { Accept: 'application/json', 'Content-Type': 'application/json',
      Authorization: 'Bearer ' + token() }, body: body == null ? undefined : JSON.stringify(body) });
    const json = await r.json().catch(() => ({ code: 'BAD_RESPONSE', message: 'not JSON' }));
    if (!r.ok) {
      if (r.status === 401 || r.status === 403 && json.code === 'FORBIDDEN') sessionStorage.removeItem(KEY);
      const err = new Error((json.code ? json.code + ': ' : '') + (json.message || r.statusText));
      err.code = json.code;
      err.status = r.status;
      throw err;
    }
    return json;
  }

  return { token, bar, call };
})();
