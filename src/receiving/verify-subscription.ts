/**
 * The subscription handshake: Meta's `GET ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C`.
 *
 * @module
 */

/**
 * The outcome of {@link verifySubscription}.
 *
 * @example
 * ```ts
 * const result: SubscriptionResult = verifySubscription(request.url, token);
 * ```
 */
export type SubscriptionResult = { readonly valid: true; readonly challenge: string } | { readonly valid: false; readonly reason: string };

/**
 * Where the handshake's parameters come from: a URL, a query string, or a framework's parsed query.
 *
 * @example
 * ```ts
 * const query: SubscriptionQuery = "hub.mode=subscribe&hub.verify_token=T&hub.challenge=C";
 * ```
 */
export type SubscriptionQuery = string | URL | URLSearchParams | Readonly<Record<string, unknown>>;

function paramsOf(query: SubscriptionQuery): (name: string) => string | undefined {
  if (query instanceof URL) return paramsOf(query.searchParams);
  if (query instanceof URLSearchParams) return (name) => query.get(name) ?? undefined;
  if (typeof query === "string") {
    const search = query.includes("?") ? query.slice(query.indexOf("?") + 1) : query;
    return paramsOf(new URLSearchParams(search));
  }
  return (name) => {
    const value = query[name] ?? (query.hub as Record<string, unknown> | undefined)?.[name.slice(4)];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === "string" ? first : undefined;
  };
}

function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < Math.max(a.length, b.length); index++) difference |= (a.charCodeAt(index) | 0) ^ (b.charCodeAt(index) | 0);
  return difference === 0;
}

/**
 * Checks Meta's subscription handshake. Answer `200` with the challenge as the body when valid,
 * else `403`.
 *
 * @param query - the request URL, its query string, or a parsed query (`req.query` in Express).
 * @param verifyToken - the token you entered in the app dashboard.
 * @example
 * ```ts
 * const result = verifySubscription(request.url, process.env.VERIFY_TOKEN!);
 * return result.valid ? new Response(result.challenge) : new Response(result.reason, { status: 403 });
 * ```
 */
export function verifySubscription(query: SubscriptionQuery, verifyToken: string): SubscriptionResult {
  const param = paramsOf(query);
  const mode = param("hub.mode");
  const token = param("hub.verify_token");
  const challenge = param("hub.challenge");
  if (mode !== "subscribe") return { valid: false, reason: `Expected hub.mode=subscribe but received ${mode === undefined ? "none" : JSON.stringify(mode)}.` };
  if (token === undefined || verifyToken === "" || !sameText(token, verifyToken)) return { valid: false, reason: "The verify token does not match." };
  if (challenge === undefined || challenge === "") return { valid: false, reason: "The request has no hub.challenge." };
  return { valid: true, challenge };
}
