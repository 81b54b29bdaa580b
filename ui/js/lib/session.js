// session.js — who is logged in: fetching the session (which also arms the
// CSRF token for api.js), where each role lands after log-in, duty checks.
import { api, setCsrfToken } from './api.js';

export const STAFF_ROLES = ['officer', 'auditor', 'admin', 'provider', 'bank', 'enterprise'];

let current = null;

// The logged-in user, or null when nobody is logged in. GET
// /api/v1/session/state answers 200 with "user": null then (no 401 in the
// browser's console on the public pages).
export async function loadSession() {
  try {
    const s = await api.get('/api/v1/session/state', undefined, { noAuthRedirect: true });
    setCsrfToken(s.user ? s.csrf_token : null);
    current = s.user ? { ...s.user, idle_timeout_s: s.idle_timeout_s, must_enrol_totp: !!s.must_enrol_totp } : null;
    return current;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

// Remember the session returned by POST /api/v1/session.
export function useSession(s) {
  setCsrfToken(s.csrf_token);
  current = { ...s.user, idle_timeout_s: s.idle_timeout_s, must_enrol_totp: !!s.must_enrol_totp };
  return current;
}

export function currentUser() {
  return current;
}

// The page a user starts on: an enterprise's own page, the console for
// staff, the member pages otherwise.
export function landingFor(user) {
  if (user && user.role === 'enterprise') return '/e/';
  return user && STAFF_ROLES.includes(user.role) ? '/console/' : '/m/';
}

// Officers act through duties; admins may do everything.
export function hasDuty(user, duty) {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'officer' && Array.isArray(user.duties) && user.duties.includes(duty);
}

export function hasRole(user, ...roles) {
  return !!user && roles.includes(user.role);
}

// Log out on the server (best effort) and go to the log-in page.
export async function logout() {
  try {
    await api.del('/api/v1/session', { noAuthRedirect: true });
  } catch {
    /* the session may already be gone; the log-in page is right either way */
  }
  setCsrfToken(null);
  current = null;
  location.assign('/login.html');
}

// A same-site path from ?next=, or null when it is missing or points elsewhere.
export function safeNext(value) {
  if (!value || typeof value !== 'string') return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  return value;
}
