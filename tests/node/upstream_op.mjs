// An organization's own OpenID provider for the SSO tests: node's oidc-provider (v9, the
// certified library), on a loopback port.
//
//   node upstream_op.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI     (PORT 0: any free port)
//
// (or UPSTREAM_PORT / UPSTREAM_CLIENT_ID / UPSTREAM_CLIENT_SECRET / UPSTREAM_REDIRECT_URI).
// One confidential client (client_secret_basic, code flow, PKCE S256 required). Accounts are
// keyed by email and set by the test (`PUT /_test/accounts/:email`, JSON: name, email_verified,
// groups, amr); the ID token carries email, email_verified, name, groups and the account's `amr`.
// The login is a tiny form: `GET /interaction/:uid` shows it, `POST /interaction/:uid/login` with
// `email` signs that account in (an unknown one is refused with `access_denied`, returned to the
// client like any provider error); consent is implied for the one client.
// `POST /_test/rotate` replaces the signing key (a new provider instance, the old key dropped).
//
// stdout: first `listening <issuer>`, then one line per request served:
// `request <METHOD> <path>` (no query), so that tests can count discovery and JWKS fetches.
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import Provider from 'oidc-provider'

const args = process.argv.slice(2)
const port = Number(args[0] ?? process.env.UPSTREAM_PORT ?? 0)
const clientId = args[1] ?? process.env.UPSTREAM_CLIENT_ID ?? 'portal'
const clientSecret = args[2] ?? process.env.UPSTREAM_CLIENT_SECRET ?? 'portal-secret'
const redirectUri = args[3] ?? process.env.UPSTREAM_REDIRECT_URI
if (!redirectUri) {
  console.error('usage: node upstream_op.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI')
  process.exit(2)
}

const accounts = new Map() // email -> { name, email_verified, groups, amr }

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' }
}

function build(issuer) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey()] },
    pkce: { required: () => true },
    // Scope claims in the ID token itself (the portal reads the ID token only).
    conformIdTokenClaims: false,
    // `amr` (the login's, set per account below) with `openid`: in every ID token, not only
    // when the client asks for it by the claims parameter.
    claims: {
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups'],
    },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['upstream-op-test-cookie-key'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: sub,
            email_verified: account.email_verified ?? true,
            name: account.name ?? '',
            groups: account.groups ?? [],
          }
        },
      }
    },
    // The one client is first-party: consent is implied (oidc-provider's documented recipe).
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
  })
  provider.on('server_error', (ctx, error) => console.error('server_error', error))
  return provider
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

let provider
let handler

async function interaction(req, res, path) {
  const [, , uid, action] = path.split('/')
  const details = await provider.interactionDetails(req, res)
  if (details.uid !== uid) return send(res, 400, 'text/plain', 'wrong interaction')
  if (req.method === 'GET') {
    const hint = details.params.login_hint ?? ''
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      `<!doctype html><html lang="en"><title>Upstream sign-in</title><main>
<h1>Sign in to the upstream provider</h1>
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Email <input name="email" type="email" value="${escape(hint)}" autocomplete="username"></label>
<button type="submit">Sign in</button></form></main></html>`,
    )
  }
  if (req.method === 'POST' && action === 'login') {
    const email = new URLSearchParams(await readBody(req)).get('email') ?? ''
    const account = accounts.get(email)
    const result = account
      ? { login: { accountId: email, amr: account.amr ?? ['pwd'] } }
      : { error: 'access_denied', error_description: 'No such person here <b>upstream</b>.' }
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
  }
  return send(res, 405, 'text/plain', 'method not allowed')
}

async function testControl(req, res, path) {
  if (req.method === 'PUT' && path.startsWith('/_test/accounts/')) {
    const email = decodeURIComponent(path.slice('/_test/accounts/'.length))
    accounts.set(email, JSON.parse((await readBody(req)) || '{}'))
    return send(res, 204, 'text/plain', '')
  }
  if (req.method === 'POST' && path === '/_test/rotate') {
    provider = build(provider.issuer)
    handler = provider.callback()
    return send(res, 204, 'text/plain', '')
  }
  if (path.startsWith('/_test/sync/')) return send(res, 204, 'text/plain', '') // a log marker
  return send(res, 404, 'text/plain', 'not found')
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://upstream').pathname
  process.stdout.write(`request ${req.method} ${path}\n`)
  try {
    if (path.startsWith('/_test/')) return await testControl(req, res, path)
    if (path.startsWith('/interaction/')) return await interaction(req, res, path)
    return handler(req, res)
  } catch (error) {
    console.error(error)
    if (!res.headersSent) send(res, 500, 'text/plain', 'error')
  }
})

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`
  provider = build(issuer)
  handler = provider.callback()
  process.stdout.write(`listening ${issuer}\n`)
})
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)))
