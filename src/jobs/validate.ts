/**
 * Request validation for StartLabelDetection and GetLabelDetection, driven by a description of the
 * request shapes that follows the Rekognition service model (lengths, ranges, patterns, enums).
 * Patterns are matched against the whole value, which is what the service enforces in practice.
 */
import type { GetLabelDetectionRequest, StartLabelDetectionRequest } from '@aws-sdk/client-rekognition';
import { invalidParameter } from '../errors.js';
import { isRecord } from '../is-record.js';

type Shape =
  | { kind: 'string'; min?: number; max?: number; pattern?: RegExp }
  | { kind: 'number'; min?: number; max?: number; integer?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; max: number; member: Shape }
  | { kind: 'structure'; members: Record<string, Shape>; required?: readonly string[] };

const string = (constraints: Omit<Extract<Shape, { kind: 'string' }>, 'kind'>): Shape => ({ kind: 'string', ...constraints });
const idempotencyId = string({ min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ });
const generalLabelsFilterList: Shape = {
  kind: 'list',
  max: 100,
  // The service model's character class, including its `'-_` range (apostrophe through underscore).
  member: string({ max: 50, pattern: /^[A-Za-z0-9àâèçñó'-_(). ]*$/u }),
};

const startLabelDetectionRequest: Shape = {
  kind: 'structure',
  required: ['Video'],
  members: {
    Video: {
      kind: 'structure',
      // The model leaves these optional, but without them there is no video to analyse.
      required: ['S3Object'],
      members: {
        S3Object: {
          kind: 'structure',
          required: ['Bucket', 'Name'],
          members: {
            Bucket: string({ min: 3, max: 255, pattern: /^[0-9A-Za-z.\-_]*$/ }),
            Name: string({ min: 1, max: 1024 }),
            Version: string({ min: 1, max: 1024 }),
          },
        },
      },
    },
    ClientRequestToken: idempotencyId,
    MinConfidence: { kind: 'number', min: 0, max: 100 },
    NotificationChannel: {
      kind: 'structure',
      required: ['SNSTopicArn', 'RoleArn'],
      members: {
        SNSTopicArn: string({ pattern: /^arn:aws:sns:.*:\w{12}:.+$/ }),
        RoleArn: string({ pattern: /^arn:aws:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/ }),
      },
    },
    JobTag: string({ min: 1, max: 1024, pattern: /^[a-zA-Z0-9_.\-:+=/]+$/ }),
    Features: { kind: 'list', max: 1, member: { kind: 'enum', values: ['GENERAL_LABELS'] } },
    Settings: {
      kind: 'structure',
      members: {
        GeneralLabels: {
          kind: 'structure',
          members: {
            LabelInclusionFilters: generalLabelsFilterList,
            LabelExclusionFilters: generalLabelsFilterList,
            LabelCategoryInclusionFilters: generalLabelsFilterList,
            LabelCategoryExclusionFilters: generalLabelsFilterList,
          },
        },
      },
    },
  },
};

const getLabelDetectionRequest: Shape = {
  kind: 'structure',
  required: ['JobId'],
  members: {
    JobId: idempotencyId,
    // Values above 1000 are legal and read as 1000 when the page is built.
    MaxResults: { kind: 'number', min: 1, integer: true },
    NextToken: string({ max: 255 }),
    SortBy: { kind: 'enum', values: ['NAME', 'TIMESTAMP'] },
    AggregateBy: { kind: 'enum', values: ['TIMESTAMPS', 'SEGMENTS'] },
  },
};

/** Checks a StartLabelDetection request; returns a copy without absent (undefined or null) fields. */
export const validateStartLabelDetectionRequest = (request: unknown): StartLabelDetectionRequest =>
  conform(request, startLabelDetectionRequest, 'StartLabelDetectionRequest') as StartLabelDetectionRequest;

/** Checks a GetLabelDetection request; returns a copy without absent (undefined or null) fields. */
export const validateGetLabelDetectionRequest = (request: unknown): GetLabelDetectionRequest =>
  conform(request, getLabelDetectionRequest, 'GetLabelDetectionRequest') as GetLabelDetectionRequest;

const fail = (field: string, problem: string): never => {
  throw invalidParameter(`${field}: ${problem}`);
};

const childPath = (parent: string, member: string, isRoot: boolean): string => (isRoot ? member : `${parent}.${member}`);

const lengthRange = (min: number | undefined, max: number | undefined): string =>
  max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `${min}-${max}`;

function conform(value: unknown, shape: Shape, field: string, isRoot = true): unknown {
  switch (shape.kind) {
    case 'string':
      return conformString(value, shape, field);
    case 'number':
      return conformNumber(value, shape, field);
    case 'enum':
      if (typeof value !== 'string' || !shape.values.includes(value)) {
        fail(field, `must be one of ${shape.values.join(', ')}`);
      }
      return value;
    case 'list':
      if (!Array.isArray(value)) return fail(field, 'must be a list');
      if (value.length > shape.max) fail(field, `must have at most ${shape.max} ${shape.max === 1 ? 'item' : 'items'}`);
      return value.map((item, index) => conform(item, shape.member, `${field}[${index}]`, false));
    case 'structure':
      return conformStructure(value, shape, field, isRoot);
  }
}

function conformString(value: unknown, shape: Extract<Shape, { kind: 'string' }>, field: string): string {
  if (typeof value !== 'string') return fail(field, 'must be a string');
  const length = [...value].length;
  if ((shape.min !== undefined && length < shape.min) || (shape.max !== undefined && length > shape.max)) {
    fail(field, `must be ${lengthRange(shape.min, shape.max)} characters`);
  }
  if (shape.pattern && !shape.pattern.test(value)) fail(field, `must match the pattern ${shape.pattern.source}`);
  return value;
}

function conformNumber(value: unknown, shape: Extract<Shape, { kind: 'number' }>, field: string): number {
  const kind = shape.integer ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (shape.integer && !Number.isInteger(value))) {
    return fail(field, `must be ${kind}`);
  }
  if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) {
    const range = shape.max === undefined ? `>= ${shape.min}` : shape.min === undefined ? `<= ${shape.max}` : `between ${shape.min} and ${shape.max}`;
    fail(field, `must be ${kind} ${range}`);
  }
  return value;
}

function conformStructure(
  value: unknown,
  shape: Extract<Shape, { kind: 'structure' }>,
  field: string,
  isRoot: boolean,
): Record<string, unknown> {
  if (!isRecord(value)) return fail(field, 'must be an object');
  const present = Object.entries(value).filter(([, member]) => member !== undefined && member !== null);
  const conformed: Record<string, unknown> = {};
  for (const [name, member] of present) {
    const memberShape = shape.members[name];
    const memberField = childPath(field, name, isRoot);
    // Unknown fields are refused rather than ignored, so a misspelt option never silently does nothing.
    if (!memberShape) fail(memberField, 'is not a known field');
    else conformed[name] = conform(member, memberShape, memberField, false);
  }
  for (const name of shape.required ?? []) {
    if (!(name in conformed)) fail(childPath(field, name, isRoot), 'is required');
  }
  return conformed;
}
