// public-home.js — the public home page is static HTML; this only turns the
// 登录 button into a way back in for someone who is already logged in.
import { loadSession, landingFor } from '../../lib/session.js';

const link = document.getElementById('login-link');
loadSession()
  .then((user) => {
    if (!user || !link) return;
    link.href = landingFor(user);
    link.textContent = landingFor(user) === '/console/' ? '进入工作台' : '我的服务';
  })
  .catch(() => {
    /* offline or server trouble: the plain 登录 link still works */
  });
