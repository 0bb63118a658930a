import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors/http-errors';
import { assertJsonWithinLimits } from './json-limits';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * 415 for a body that is not JSON, then the JSON parser (413 over `limit`, 400 when malformed), then
 * a bound on its depth and size (400). Mounted only on routes that take a body.
 */
export function jsonBody(limit: string): RequestHandler[] {
  // Not strict: a top-level array or string is valid JSON and gets a validation error naming the
  // body, rather than a "malformed JSON" error that would be wrong.
  const parse = express.json({ limit, strict: false, type: JSON_TYPES });

  const requireJson: RequestHandler = (req, _res, next) => {
    // No body (req.is gives null) or an empty one (a bare POST often has Content-Length: 0 and no
    // Content-Type) has no type worth refusing; validation then names the missing fields.
    if (req.is(JSON_TYPES) === false && req.get('Content-Length') !== '0') {
      next(new UnsupportedMediaTypeError());
      return;
    }
    next();
  };

  const withinLimits: RequestHandler = (req, _res, next) => {
    assertJsonWithinLimits(req.body);
    next();
  };

  // raw-body, under express.json, calls back in the request's async context even when the body
  // arrives in later chunks, so the correlation id set by the request id middleware survives parsing.
  return [requireJson, parse, withinLimits];
}
