// An OpenID Connect provider for Triad's federated sign-in tests: panva's oidc-provider (a
// certified implementation) on loopback, with a plain sign-in form of our own so that a test
// can say how the person authenticated (amr/acr). Consent is given without asking.
//
//   node server.js CONFIG.json
//
// CONFIG: {"port": 8314, "issuer": "http://127.0.0.1:8314", "clients": [...oidc-provider client
// metadata...], "accounts": {"login": {"claims": {...}, "amr": ["pwd"], "acr": "..."}}}
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;

const provider = new Provider(config.issuer, {
  clients: config.clients,
  cookies: { keys: ['triad-test-idp-cookie-key'] },
  claims: {
    // How the person authenticated in every ID token, as Entra ID sends amr.
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    // What a Swedish eID broker sends besides: the personal identity number, under the names
    // Triad must never keep.
    pnr: ['personalIdentityNumber', 'ssn', 'socialSecurityNumber'],
  },
  scopes: ['openid', 'email', 'profile', 'pnr'],
  // Every claim in the ID token too, as many providers send them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...accounts[id].claims }) };
  },
});
provider.proxy = false;

const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head><body>${body}</body></html>`;

function readForm(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (req.method === 'POST') {
      const form = await readForm(req);
      const login = form.get('login') || '';
      if (!accounts[login]) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(page(`<p id="error">Unknown user</p>`));
        return;
      }
      const { amr = ['pwd'], acr } = accounts[login];
      await provider.interactionFinished(req, res, { login: { accountId: login, amr, acr } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page(`<h1>Test identity provider</h1>
<form method="post" action="/interaction/${uid}">
<label for="login">Username</label> <input id="login" name="login" autofocus>
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>`));
    return;
  }
  // consent: granted at once
  const grant = details.grantId ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    return;
  }
  callback(req, res);
}).listen(config.port, '127.0.0.1', () => {
  console.log(`listening on ${config.port}`);
});
