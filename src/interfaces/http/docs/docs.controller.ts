import { Router, type Response } from 'express';
import { allowOnly } from '../middleware/allow-only.middleware';
import { renderDocsPage, type ApiDocuments } from './docs-page';

/** `/openapi.json`, `/asyncapi.json`, and `/docs`: both rendered as one page, with no script. */
export function createDocsRouter(documents: ApiDocuments): Router {
  const router = Router();
  const page = renderDocsPage(documents);
  const json = (document: Record<string, unknown>) => (_req: unknown, res: Response) => {
    res.json(document);
  };
  router.route('/openapi.json').get(json(documents.openapi)).all(allowOnly('GET'));
  router.route('/asyncapi.json').get(json(documents.asyncapi)).all(allowOnly('GET'));
  router
    .route('/docs')
    .get((_req, res) => {
      // The page's own stylesheet is inline; nothing else may load.
      res
        .set(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .type('html')
        .send(page);
    })
    .all(allowOnly('GET'));
  return router;
}
