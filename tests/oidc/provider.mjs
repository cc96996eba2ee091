// A real OpenID Provider for regioledger's tests: panva's oidc-provider (OpenID certified),
// configured from a JSON file the tests write (its argument): the issuer, the port, the signing
// keys (private JWKs), the people who can sign in (their login and the claims their ID tokens
// carry) and the clients. A machine client (no redirect_uris) gets access tokens as JWTs
// (RFC 9068) for the resource (the API's audience) by the client credentials grant; the
// dashboard's client signs people in by the authorization code flow, PKCE required, and signs
// them out again (RP-initiated logout). People sign in on the provider's own development pages
// (any password), and their role, organisation and group claims travel in the ID token.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const claimsOf = Object.fromEntries(config.clients.map((c) => [c.client_id, c.claims]));
const accounts = config.accounts ?? {};
const machine = (client) => client.grantTypes.includes("client_credentials");

const client = (c) =>
  c.redirect_uris
    ? {
        client_id: c.client_id,
        client_secret: c.client_secret,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: c.redirect_uris,
        post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      }
    : {
        client_id: c.client_id,
        client_secret: c.client_secret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
      };

const provider = new Provider(config.issuer, {
  clients: config.clients.map(client),
  jwks: { keys: config.keys },
  cookies: { keys: [config.cookie_key] },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(accounts[id] ?? {}) }),
  }),
  claims: { openid: ["sub", "regioledger_role", "regioledger_organisation", "groups"] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx) => (ctx.oidc.client && machine(ctx.oidc.client) ? config.audience : undefined),
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => ({
        scope: "api",
        audience: resource,
        accessTokenFormat: "jwt",
        accessTokenTTL: config.ttl ?? 300,
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => claimsOf[token.clientId] ?? {},
});
provider.proxy = true;
const server = provider.listen(config.port, "127.0.0.1", () => {
  process.stdout.write(`listening ${config.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
