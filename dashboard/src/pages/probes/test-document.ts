// A trimmed OpenAPI document shaped like the server's (`POST /api/v1/probes` → `$ref` → a `oneOf` on
// `type`), for the form tests.
const common = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  intervalS: { default: 60, type: 'integer', minimum: 5, maximum: 86400 },
  timeoutMs: { default: 10000, type: 'integer', minimum: 100, maximum: 120000 },
  paused: { default: false, type: 'boolean' },
  agentId: { type: 'string', format: 'uuid' },
  labels: {
    type: 'object',
    propertyNames: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
    additionalProperties: { type: 'string', maxLength: 256 },
  },
};

export const TEST_DOCUMENT = {
  openapi: '3.1.0',
  paths: {
    '/api/v1/probes': {
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateProbe' } } },
        },
      },
    },
  },
  components: {
    schemas: {
      CreateProbe: {
        oneOf: [
          {
            type: 'object',
            properties: {
              ...common,
              type: { type: 'string', const: 'http' },
              config: {
                type: 'object',
                properties: {
                  url: { type: 'string', format: 'uri' },
                  method: { default: 'GET', type: 'string', enum: ['GET', 'HEAD', 'POST'] },
                  headers: {
                    default: {},
                    type: 'object',
                    propertyNames: { type: 'string', minLength: 1 },
                    additionalProperties: { type: 'string' },
                  },
                  body: { type: 'string', maxLength: 65536 },
                  expectStatus: {
                    default: '200-399',
                    type: 'string',
                    pattern: '^[1-5]\\d\\d(-[1-5]\\d\\d)?$',
                  },
                  jsonEquals: { type: ['string', 'number', 'boolean', 'null'] },
                  followRedirects: { default: true, type: 'boolean' },
                  degradedAboveMs: {
                    description: 'Slower than this is degraded',
                    type: 'integer',
                    exclusiveMinimum: 0,
                    maximum: 9007199254740991,
                  },
                  tags: { type: 'array', items: { type: 'string' } },
                  tls: { $ref: '#/components/schemas/TlsOptions' },
                },
                required: ['url'],
                additionalProperties: false,
              },
            },
            required: ['name', 'type', 'config'],
          },
          {
            type: 'object',
            properties: {
              ...common,
              type: { type: 'string', const: 'sql' },
              config: {
                type: 'object',
                properties: {
                  engine: { type: 'string', enum: ['postgres', 'mysql'] },
                  user: { type: 'string', minLength: 1, maxLength: 128 },
                  password: { writeOnly: true, type: 'string', maxLength: 1024 },
                  weight: { type: 'number', minimum: 0.5 },
                },
                required: ['engine', 'user'],
              },
            },
            required: ['name', 'type', 'config'],
          },
        ],
      },
      TlsOptions: {
        type: 'object',
        properties: { verify: { type: 'boolean', default: true }, minVersion: { type: 'string' } },
      },
    },
  },
};
