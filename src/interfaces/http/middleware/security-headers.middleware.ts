import type { RequestHandler } from 'express';

/**
 * The response headers a JSON API should send whatever is in front of it: no MIME sniffing, no
 * framing, no content loaded from anywhere, no referrer, resources for this origin only. HSTS is left
 * to whatever terminates TLS.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export const securityHeadersMiddleware: RequestHandler = (_req, res, next) => {
  res.set(SECURITY_HEADERS);
  next();
};
