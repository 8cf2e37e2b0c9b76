// A real OpenID Connect provider (panva/oidc-provider) on loopback, for the single sign-on
// tests only. Never use it outside the tests: any login name signs in, with any password.
//
// Settings: a JSON object as the first argument or in OIDC_PROVIDER_CONFIG, else single
// environment variables (OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS,
// OIDC_POST_LOGOUT_REDIRECT_URIS; the lists separated by spaces or commas):
//
//   {"port": 0, "client_id": "ledarskapsportalen", "client_secret": "...",
//    "redirect_uris": ["http://127.0.0.1:8000/oidc/callback/"],
//    "post_logout_redirect_uris": ["http://127.0.0.1:8000/"]}
//
// Port 0 (the default) takes a free port; the issuer is http://127.0.0.1:<port>. When
// listening, prints one line `READY <issuer>` on stdout. Stops on SIGTERM or SIGINT (and,
// with OIDC_EXIT_WITH_STDIN=1, when its stdin closes).
//
// What a browser sees (see tests/support/oidc.py for the field names as constants):
//   /interaction/<uid>   "Sign in" page: fields `login` (label "Email address") and
//                        `password` (label "Password", any value or empty), button "Sign in"
//                        (id sign-in); link "Cancel" (id cancel) returns error=access_denied.
//   No consent screen: the client is first-party, openid email profile are granted at once.
//   /session/end         "Sign out" page, button "Yes, sign me out" (id sign-out), then the
//                        post_logout_redirect_uri (needs id_token_hint or client_id) or the
//                        "Signed out" page.
//
// Claims of the account for login name L: sub = "test-" + sha256(lowercased L) (first 32 hex
// digits), email = L as typed (trimmed), email_verified = true, name from L's local part
// ("anna.andersson@kungsor.se" -> "Anna Andersson"). They are in the ID token and in userinfo.

import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

function listSetting(value) {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(/[\s,]+/).filter(Boolean);
}

function readSettings() {
  const raw = process.argv[2] ?? process.env.OIDC_PROVIDER_CONFIG;
  const given = raw ? JSON.parse(raw) : {};
  const env = process.env;
  const settings = {
    port: Number(given.port ?? env.OIDC_PORT ?? 0),
    client_id: given.client_id ?? env.OIDC_CLIENT_ID ?? 'ledarskapsportalen',
    client_secret: given.client_secret ?? env.OIDC_CLIENT_SECRET,
    client_name: given.client_name ?? env.OIDC_CLIENT_NAME ?? 'Ledarskapsportalen',
    redirect_uris: listSetting(given.redirect_uris ?? env.OIDC_REDIRECT_URIS),
    post_logout_redirect_uris: listSetting(
      given.post_logout_redirect_uris ?? env.OIDC_POST_LOGOUT_REDIRECT_URIS,
    ),
  };
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) {
    throw new Error(`invalid port: ${settings.port}`);
  }
  if (!settings.client_secret) throw new Error('client_secret (OIDC_CLIENT_SECRET) is required');
  if (!settings.redirect_uris.length) throw new Error('redirect_uris (OIDC_REDIRECT_URIS) is required');
  return settings;
}

// A fresh RS256 signing key each start: nothing secret is kept in the repository.
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  stage('signing key made');
  const jwk = privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint as the key id (mozilla-django-oidc matches keys by kid).
  const members = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  const kid = createHash('sha256').update(members).digest('base64url');
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

const escapeHtml = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

// Self-contained pages (no external fonts or scripts: the browser tests run offline).
function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Test identity provider</title>
<style>
body{font-family:sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin-top:1rem}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function accountIdFor(login) {
  const digest = createHash('sha256').update(login.trim().toLowerCase()).digest('hex');
  return `test-${digest.slice(0, 32)}`;
}

function nameFor(email) {
  const local = email.split('@')[0] || email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}

let settings;
try {
  settings = readSettings();
} catch (err) {
  fail(err.message);
}
const accounts = new Map(); // accountId -> login name as typed (this process's memory only)
let provider; // set once the port (and so the issuer) is known
let providerCallback;

const server = createServer((req, res) => handler(req, res));
server.listen(settings.port, '127.0.0.1');
await new Promise((resolve) => {
  server.once('listening', resolve);
  server.once('error', (err) => fail(`cannot listen on 127.0.0.1:${settings.port}: ${err.message}`));
});
const issuer = `http://127.0.0.1:${server.address().port}`;
// Where the start got to, for the error the tests print when READY does not come.
const started = performance.now();
const stage = (what) => process.stderr.write(
  `provider.mjs: ${what} (${Math.round(performance.now() - started)} ms after listening)\n`,
);
stage(`listening on ${issuer}`);

const scopes = 'openid email profile';

provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.client_id,
      client_secret: settings.client_secret,
      client_name: settings.client_name,
      redirect_uris: settings.redirect_uris,
      post_logout_redirect_uris: settings.post_logout_redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // client_secret_basic is accepted as well: oidc-provider treats the two alike.
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  responseTypes: ['code'],
  scopes: scopes.split(' '),
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // The email and name claims also go into the ID token (not only userinfo), like the
  // enterprise providers do.
  conformIdTokenClaims: false,
  pkce: { required: () => false }, // S256 is accepted when the client sends it
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.type = 'html';
        ctx.body = page('Sign out', `${form}
<p>Do you want to sign out from the test identity provider?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes" id="sign-out" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" id="stay-signed-in">No, stay signed in</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = page('Signed out', '<p>You have signed out of the test identity provider.</p>');
      },
    },
  },
  clientBasedCORS: () => false,
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 120,
    Grant: 14 * 24 * 3600,
    IdToken: 3600,
    Interaction: 3600,
    Session: 14 * 24 * 3600,
  },
  interactions: {
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const items = Object.entries(out)
      .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd id="${escapeHtml(key)}">${escapeHtml(value)}</dd>`)
      .join('');
    ctx.body = page('Error', `<dl>${items}</dl>`);
  },
  async findAccount(ctx, sub) {
    const login = accounts.get(sub);
    if (!login) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: login, email_verified: true, name: nameFor(login) };
      },
    };
  },
  // First-party client with admin consent: the scopes are granted without a consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(scopes);
    grant.addOIDCClaims(['email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});

function loginPage(uid, { params, client }, error) {
  const hint = params.login_hint ? ` value="${escapeHtml(params.login_hint)}"` : '';
  const who = client?.clientName ? `<p>to continue to ${escapeHtml(client.clientName)}</p>` : '';
  const problem = error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : '';
  return page('Sign in', `${who}${problem}
<form method="post" action="/interaction/${escapeHtml(uid)}" autocomplete="off">
<label for="login">Email address</label>
<input id="login" name="login" type="text" required autofocus${hint}>
<label for="password">Password</label>
<input id="password" name="password" type="password">
<button type="submit" id="sign-in">Sign in</button>
</form>
<p><a href="/interaction/${escapeHtml(uid)}/abort" id="cancel">Cancel</a></p>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Error', '<p id="error">This sign-in has expired. Start again.</p>'));
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const { prompt } = details;
  if (prompt.name === 'consent') {
    // Not expected (loadExistingGrant grants everything), but never show a consent screen.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({
        accountId: details.session.accountId,
        clientId: details.params.client_id,
      });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
    return;
  }
  if (prompt.name !== 'login') {
    send(res, 501, page('Error', `<p id="error">Unsupported prompt ${escapeHtml(prompt.name)}</p>`));
    return;
  }
  const client = await provider.Client.find(details.params.client_id);
  if (req.method === 'GET') {
    send(res, 200, loginPage(uid, { params: details.params, client }));
    return;
  }
  const form = await readForm(req);
  const login = (form.get('login') ?? '').trim();
  if (!login) {
    send(res, 400, loginPage(uid, { params: details.params, client }, 'Enter your email address.'));
    return;
  }
  const accountId = accountIdFor(login);
  accounts.set(accountId, login);
  await provider.interactionFinished(req, res, { login: { accountId } }, {
    mergeWithLastSubmission: false,
  });
}

providerCallback = provider.callback();

async function handler(req, res) {
  if (!providerCallback) {
    send(res, 503, page('Starting', '<p>Starting, try again.</p>'));
    return;
  }
  const { pathname } = new URL(req.url, issuer);
  const match = /^\/interaction\/([^/]+)(\/abort)?$/.exec(pathname);
  const allowed = match && (match[2] ? req.method === 'GET' : ['GET', 'POST'].includes(req.method));
  if (!allowed) {
    providerCallback(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2] ? 'abort' : 'show');
  } catch (err) {
    if (!res.headersSent) {
      const message = err.name === 'SessionNotFound'
        ? 'This sign-in has expired. Start again.'
        : `${err.name}: ${err.message}`;
      send(res, 400, page('Error', `<p id="error">${escapeHtml(message)}</p>`));
    } else {
      res.end();
    }
  }
}

provider.on('server_error', (ctx, err) => {
  process.stderr.write(`oidc-provider server_error: ${err.stack ?? err}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.OIDC_EXIT_WITH_STDIN === '1') {
  // Started by tests/support/oidc.py: stop when that process goes away (stdin closes).
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

process.stdout.write(`READY ${issuer}\n`);
