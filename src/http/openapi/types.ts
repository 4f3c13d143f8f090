/**
 * The part of the OpenAPI 3.1 model that the route definitions produce:
 * enough to type the generated document and to walk it when rendering the
 * reference page.
 */

/** The methods the API uses, as OpenAPI spells them. */
export type HttpMethod = 'get' | 'post' | 'delete';

/** Every method key of a path item, in the order the reference page lists them. */
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'delete'];

/** A JSON Schema type name. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

/** A `$ref` to somewhere in the same document. */
export interface Reference {
  $ref: string;
}

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it); `$ref` may stand alone or beside a description. */
export interface SchemaObject {
  $ref?: string;
  type?: JsonType | JsonType[];
  title?: string;
  description?: string;
  format?: string;
  pattern?: string;
  enum?: Array<string | number | boolean | null>;
  const?: string | number | boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  contentMediaType?: string;
  default?: unknown;
  examples?: unknown[];
}

/** A path, query or header parameter. */
export interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: boolean;
  schema: SchemaObject;
  example?: unknown;
}

/** A named example value. */
export interface ExampleObject {
  summary: string;
  value: unknown;
}

/** One media type of a body. */
export interface MediaTypeObject {
  schema?: SchemaObject;
  examples?: Record<string, ExampleObject>;
}

/** A response header. */
export interface HeaderObject {
  description: string;
  schema: SchemaObject;
}

/** One response of an operation. */
export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

/** A request body. */
export interface RequestBodyObject {
  description: string;
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

/** One operation: a method on a path. */
export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Array<ParameterObject | Reference>;
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | Reference>;
}

/** The operations of one path. */
export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

/** A group of operations. */
export interface TagObject {
  name: string;
  description: string;
}

/** The whole document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; summary: string; description: string; license: { name: string; identifier: string } };
  servers?: Array<{ url: string; description: string }>;
  tags: TagObject[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    parameters: Record<string, ParameterObject>;
    responses: Record<string, ResponseObject>;
  };
}

/** True for a bare `$ref` object. */
export function isReference(value: object): value is Reference {
  return '$ref' in value && typeof value.$ref === 'string';
}
