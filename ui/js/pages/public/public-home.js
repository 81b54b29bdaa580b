// public-home.js — the public home page is static HTML; this only turns the
// 登录 button into a way back in for someone who is already logged in.
import { publicPage } from '../../lib/shell.js';

publicPage({ head: document.getElementById('head-actions'), button: 'btn btn-primary' });
