// A real OpenID Connect provider for the tests: the certified `oidc-provider` package on
// 127.0.0.1, with a small configuration. Started by tests/support/oidc_provider.py, which passes:
//   PORT             where to listen (the issuer is http://127.0.0.1:PORT)
//   ACCOUNTS_FILE    JSON {login: {email, email_verified, groups, name}}, read on every
//                    lookup so a test can change a person's claims between logins
//   CLIENTS_JSON     the registered clients (client_id, secret, redirect and logout URIs)
//   CLOCK_OFFSET_SECONDS  runs this provider's clock ahead (+) or behind (-) ours
//   ID_TOKEN_TTL     seconds an ID token is valid
//   RP_LOGOUT        0: no end_session_endpoint (no RP-initiated logout offered)
// The login page is the package's own development interaction (any login name known in the
// accounts file; the password is not checked): what we test is the relying party. The login
// name is the account id and so the subject (`sub`) of its tokens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const offset = Number(process.env.CLOCK_OFFSET_SECONDS || 0);
if (offset) {
  // Every timestamp the provider issues (iat, exp, code and session lifetimes) comes from here.
  const realNow = Date.now;
  Date.now = () => realNow() + offset * 1000;
}

function accounts() {
  return JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, 'utf8'));
}

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const configuration = {
  clients: JSON.parse(process.env.CLIENTS_JSON),
  cookies: { keys: ['test-provider-cookie-key-not-secret'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  // PKCE is required of every client: a relying party that forgot it would fail here.
  pkce: { required: () => true },
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 3600) },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: process.env.RP_LOGOUT !== '0',
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out from the test provider?',
          `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<p>You are signed out of the test provider.</p>');
      },
    },
  },
  async findAccount(ctx, id) {
    const person = accounts()[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: person.name };
        if (person.email !== undefined) claims.email = person.email;
        if (person.email_verified !== undefined) claims.email_verified = person.email_verified;
        if (person.groups !== undefined) claims.groups = person.groups;
        return claims;
      },
    };
  },
  // Consent is the organisation's (as with an enterprise provider's admin consent): no prompt.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

// The client `dialog-wrong-aud` gets ID tokens minted for another application (aud `other-app`,
// azp pointing back at the caller): the token substitution a relying party must refuse.
const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issueMaybeForOther(options) {
  if (options?.use === 'idtoken' && this.client?.clientId === 'dialog-wrong-aud') {
    const caller = this.client;
    this.client = await provider.Client.find('other-app');
    this.set('azp', caller.clientId);
    try {
      return await issue.call(this, options);
    } finally {
      this.client = caller;
    }
  }
  return issue.call(this, options);
};

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
