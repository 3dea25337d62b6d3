import * as z from 'zod';
import type { ProductInfo } from '../../application/product-catalog';

/**
 * The part of Catalog's published REST representation (GET /products/:id) that Orders reads. A tolerant reader:
 * fields Orders does not use are ignored, so Catalog can add to its representation without breaking Orders;
 * fields Orders does use are checked, so a changed contract fails loudly here rather than inside an order.
 */
const catalogProduct = z.object({
  id: z.string(),
  name: z.string().min(1),
  price: z.object({
    amount: z.number().int().min(0),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code of three upper-case letters'),
  }),
  stockQuantity: z.number().int().min(0),
});

export type ProductTranslation = { readonly ok: true; readonly product: ProductInfo } | { readonly ok: false; readonly problems: readonly string[] };

/** Translates Catalog's JSON for product `requestedId` into Orders' ProductInfo, or says what was wrong with it. */
export function translateCatalogProduct(json: unknown, requestedId: string): ProductTranslation {
  const parsed = catalogProduct.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`) };
  }
  const { id, name, price, stockQuantity } = parsed.data;
  if (id !== requestedId) return { ok: false, problems: [`id: asked for ${requestedId}, got ${id}`] };
  return {
    ok: true,
    product: { id, name, unitPrice: { amount: price.amount, currency: price.currency }, availableQuantity: stockQuantity },
  };
}

/** As translateCatalogProduct, from the response body's text. */
export function translateCatalogProductBody(body: string, requestedId: string): ProductTranslation {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problems: [`(body): not JSON: ${JSON.stringify(body.slice(0, 80))}`] };
  }
  return translateCatalogProduct(json, requestedId);
}

const notFoundBody = z.object({ error: z.object({ code: z.literal('NOT_FOUND') }) });

/**
 * Catalog answers an unknown id with 404 and its JSON error (`{ error: { code: "NOT_FOUND" } }`). A 404 of any
 * other shape is not Catalog speaking (a wrong base URL, a proxy) and must not turn every product into "unknown".
 */
export function isCatalogNotFound(body: string): boolean {
  try {
    return notFoundBody.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
}
