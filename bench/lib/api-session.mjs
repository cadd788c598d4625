// @ts-check
// Signing in to the api through HTTP, as the console does.

/**
 * @typedef {{ id: string, email: string, role: string, organization: { id: string } }} SignedInUser
 * @typedef {{ accessToken: string, user: SignedInUser }} Session
 */

/**
 * Signs in; fails the run when the api refuses.
 * @param {string} base the api's URL, e.g. http://127.0.0.1:3000
 * @param {string} email
 * @param {string} password
 * @returns {Promise<Session>}
 */
export async function login(base, email, password) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`login ${email}: ${response.status}`);
  return /** @type {Session} */ (await response.json());
}
