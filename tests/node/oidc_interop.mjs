// Interop: node's openid-client v6 (a certified relying party) against the running portal.
//
//   node oidc_interop.mjs ISSUER CLIENT_ID CLIENT_SECRET|- REDIRECT_URI EMAIL PASSWORD
//
// discovery -> authorization code + PKCE (S256) through the hosted login form (cookie jar, CSRF
// token read from the form) -> token exchange with strict ID-token validation (signature by kid,
// nonce, iss, aud, state, iss in the authorization response) -> userinfo -> GraphQL viewer ->
// refresh -> revoke -> refresh again (must fail). Prints one JSON line with what it saw.
import * as client from 'openid-client'

const [issuer, clientId, secretArg, redirectUri, email, password] = process.argv.slice(2)
const secret = secretArg === '-' ? undefined : secretArg

const jar = new Map()
function storeCookies(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    if (/max-age=0/i.test(line) || value === '') jar.delete(name)
    else jar.set(name, value)
  }
}
function cookieHeader() {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
}
async function browse(url, init = {}) {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie: cookieHeader() } })
  storeCookies(response)
  return response
}
// Follow redirects on the portal; stop at the client's redirect URI.
async function follow(response) {
  for (let i = 0; i < 10; i++) {
    if (![301, 302, 303, 307, 308].includes(response.status)) return response
    const location = new URL(response.headers.get('location'), issuer + '/')
    if (location.href.startsWith(redirectUri)) return response
    response = await browse(location)
  }
  throw new Error('too many redirects')
}
function attr(tag, name) {
  const match = tag.match(new RegExp(`${name}="([^"]*)"`))
  return match ? match[1].replaceAll('&amp;', '&').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"') : undefined
}
function loginForm(html) {
  const form = html.match(/<form[^>]*action="([^"]*\/login)"[^>]*>([\s\S]*?)<\/form>/)
  if (!form) throw new Error('no login form on the page')
  const fields = {}
  for (const tag of form[2].match(/<input[^>]*>/g) || []) {
    const name = attr(tag, 'name')
    if (name && attr(tag, 'type') === 'hidden') fields[name] = attr(tag, 'value') || ''
  }
  if (!/<button[^>]*>\s*Login\s*<\/button>/.test(form[2])) throw new Error('no Login button')
  return { action: form[1], fields }
}

const insecure = { execute: [client.allowInsecureRequests] }
const config = secret
  ? await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(secret), insecure)
  : await client.discovery(new URL(issuer), clientId, undefined, client.None(), insecure)
// Verify the ID token's signature against the JWKS (by kid), not only its claims.
client.enableNonRepudiationChecks(config)

const codeVerifier = client.randomPKCECodeVerifier()
const codeChallenge = await client.calculatePKCECodeChallenge(codeVerifier)
const nonce = client.randomNonce()
const state = client.randomState()
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: 'openid profile email offline_access',
  code_challenge: codeChallenge,
  code_challenge_method: 'S256',
  nonce,
  state,
})

let page = await follow(await browse(authorizationUrl))
if (page.status !== 200) throw new Error(`expected the login page, got ${page.status}`)
const form = loginForm(await page.text())
const body = new URLSearchParams({ ...form.fields, email, password })
const callback = await follow(
  await browse(new URL(form.action, issuer + '/'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  }),
)
const callbackUrl = new URL(callback.headers.get('location'))

const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
  pkceCodeVerifier: codeVerifier,
  expectedNonce: nonce,
  expectedState: state,
  idTokenExpected: true,
})
const claims = tokens.claims()
const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString())
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub)

async function viewer(accessToken) {
  const response = await fetch(new URL('/graphql', issuer + '/'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query: '{ viewer { user { email } } }' }),
  })
  return response.json()
}
const viewerBefore = await viewer(tokens.access_token)

const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token)
const viewerAfterRefresh = await viewer(refreshed.access_token)
await client.tokenRevocation(config, refreshed.refresh_token)
let refreshAfterRevoke = 'accepted'
try {
  await client.refreshTokenGrant(config, refreshed.refresh_token)
} catch (error) {
  refreshAfterRevoke = error.error || error.code || String(error)
}
const viewerAfterRevoke = await viewer(refreshed.access_token)

console.log(JSON.stringify({
  callbackIss: callbackUrl.searchParams.get('iss'),
  idTokenHeader: header,
  claims,
  userinfo,
  scope: tokens.scope,
  rotated: refreshed.refresh_token !== tokens.refresh_token,
  viewerBefore,
  viewerAfterRefresh,
  refreshAfterRevoke,
  viewerAfterRevoke,
  endSessionUrl: client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token }).href,
}))
