// A real OpenID Provider for Sociala's tests: panva's oidc-provider (npm), configured from a JSON file
// with one confidential client and test users who have passwords and groups.
//
//   node oidc_provider.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{"client_id", "client_secret", "redirect_uris": [...], "id_token_ttl": 3600}],
//          "users": {"name": {"password", "sub", "given_name", "family_name", "email", "groups": []}}}
// Prints one line "READY <issuer>" on standard output when it listens (port 0: a free port).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// Found from the project's node_modules whatever the working directory.
const providerPath = require.resolve('oidc-provider', { paths: [process.cwd(), path.resolve(import.meta.dirname, '../../..')] });
const { default: Provider } = await import(providerPath);

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = config.users || {};

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
signingKey.kid = randomBytes(8).toString('hex');
signingKey.use = 'sig';
signingKey.alg = 'RS256';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// The account id is the subject (sub) of the ID token: stable, unlike the user name.
function accountFor(sub) {
  const username = Object.keys(users).find((name) => users[name].sub === sub);
  if (!username) return undefined;
  const user = users[username];
  return {
    accountId: sub,
    async claims() {
      return {
        sub: user.sub,
        preferred_username: username,
        given_name: user.given_name,
        family_name: user.family_name,
        name: `${user.given_name} ${user.family_name}`,
        email: user.email,
        groups: user.groups || [],
      };
    },
  };
}

const server = http.createServer();
server.listen(config.port || 0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    })),
    // Seconds an ID token lasts, per client (a test client may get short-lived ones).
    ttl: {
      IdToken: (ctx, token, client) => config.clients.find((c) => c.client_id === client.clientId)?.id_token_ttl || 3600,
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'given_name', 'family_name', 'name'],
      email: ['email'],
      groups: ['groups'],
    },
    scopes: ['openid', 'profile', 'email', 'groups'],
    // The ID token carries the requested scopes' claims (the relying party reads no userinfo).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (ctx, id) => accountFor(id),
    // A first-party client: the user is not asked for consent.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<!DOCTYPE html><html lang="en"><head><title>Test IdP sign-in</title></head><body><main>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label for="login">User name</label> <input id="login" name="login" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button></form></main></body></html>`);
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const username = form.get('login') || '';
      const user = users[username];
      if (!user || user.password !== form.get('password')) {
        res.statusCode = 401;
        res.setHeader('Content-Type', 'text/plain');
        res.end('wrong user name or password');
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    } catch (err) {
      console.error(err);
      res.statusCode = 400;
      res.end(String(err));
    }
  });
  console.log(`READY ${issuer}`);
});
