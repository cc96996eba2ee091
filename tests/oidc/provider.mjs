// A real OpenID Provider for regioledger's tests: panva's oidc-provider (OpenID certified),
// configured from a JSON file the tests write (its argument): the issuer, the port, the signing
// keys (private JWKs) and one client per identity, each with the role and organisation claims
// its access tokens carry. Access tokens are JWTs (RFC 9068) for the resource
// (the API's audience), issued by the client credentials grant.
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const claimsOf = Object.fromEntries(config.clients.map((c) => [c.client_id, c.claims]));

const provider = new Provider(config.issuer, {
  clients: config.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ["client_credentials"],
    redirect_uris: [],
    response_types: [],
  })),
  jwks: { keys: config.keys },
  cookies: { keys: [config.cookie_key] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.audience,
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
