import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** The header the page sends its token in; state-changing requests and bodies need it there. */
export const TOKEN_HEADER = 'x-console-token';

/** A fresh secret for one console session: 32 random bytes, URL-safe. */
export function newConsoleToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface SecurityOptions {
  readonly token: string;
  /** The port the server listens on, for the Host and Origin checks. */
  readonly port: () => number;
}

/**
 * The console's guard, in front of every route. The server binds 127.0.0.1 only, yet any web page the
 * operator opens can send requests to it, so:
 * - the Host header must name this server (127.0.0.1 or localhost and its port): a page on a hostile name
 *   that resolves to 127.0.0.1 (DNS rebinding) is refused;
 * - every request carries the session's token, which only the printed URL holds: in the `x-console-token`
 *   header, or for plain reads (GET) in the `token` query parameter, so the printed link opens the page;
 * - a state-changing request (anything but GET and HEAD) must carry the token in the header, come from
 *   this origin (Origin header, or Sec-Fetch-Site: same-origin where a browser leaves Origin out) and send
 *   JSON: a cross-site form or image cannot;
 * - `sensitive` routes (message bodies) need the header too, so a body is only ever fetched by the page's
 *   own script, on the operator's click.
 * Answers say no more than "refused" and why, never the token.
 */
export function consoleSecurity(
  options: SecurityOptions,
  isSensitive: (path: string) => boolean,
): MiddlewareHandler {
  const expected = Buffer.from(options.token);
  const matches = (candidate: string | undefined) => {
    if (candidate === undefined) return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return async (context, next) => {
    const port = options.port();
    const host = context.req.header('host');
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return context.json({ error: 'Refused: this console answers on 127.0.0.1 only.' }, 403);

    const method = context.req.method;
    const reading = method === 'GET' || method === 'HEAD';
    const headerToken = context.req.header(TOKEN_HEADER);
    const path = new URL(context.req.url).pathname;
    const tokenOk =
      matches(headerToken) || (reading && !isSensitive(path) && matches(context.req.query('token')));
    if (!tokenOk) {
      return context.json(
        {
          error:
            reading && !isSensitive(path)
              ? 'Refused: open the console with the link it printed (it carries the token).'
              : `Refused: this request needs the console token in the ${TOKEN_HEADER} header.`,
        },
        401,
      );
    }
    if (!reading) {
      // The browser says where a request comes from: Origin, or (Chromium leaves Origin out of some
      // same-origin requests) Sec-Fetch-Site. A request that says neither, or another site, is refused.
      const origin = context.req.header('origin');
      const sameOrigin =
        origin === undefined
          ? context.req.header('sec-fetch-site') === 'same-origin'
          : origin === `http://${host}`;
      if (!sameOrigin)
        return context.json(
          { error: 'Refused: a state-changing request must come from the console page.' },
          403,
        );
      if (!(context.req.header('content-type') ?? '').startsWith('application/json'))
        return context.json({ error: 'Refused: send JSON (content-type: application/json).' }, 415);
    }
    await next();
    context.header('cache-control', 'no-store');
    context.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on POST, failing the origin check.
    context.header('referrer-policy', 'same-origin');
    context.header('x-frame-options', 'DENY');
  };
}
