/**
 * Rekognition's wire protocol, AWS JSON 1.1: every call is `POST /` with the operation in
 * `X-Amz-Target` and the request shape as a JSON body; every answer is a JSON body, errors carrying
 * their exception name in `__type` (which the AWS SDKs and the AWS CLI read to pick the exception
 * class) and in `x-amzn-ErrorType`.
 *
 * Errors that only exist on the wire (UnknownOperationException, SerializationException, the
 * signature errors) are RekognitionServiceExceptions with that name, so a single error type flows
 * from every stage of a request to `errorResponse`.
 */
import { RekognitionServiceException } from '@aws-sdk/client-rekognition';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'RekognitionService.';

export const SERVED_OPERATIONS = ['StartLabelDetection', 'GetLabelDetection'] as const;
export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** An error with a Rekognition-style name; client faults answer 400, server faults 500, as the service does. */
export const wireError = (name: string, message: string, fault: 'client' | 'server' = 'client'): RekognitionServiceException =>
  new RekognitionServiceException({ name, $fault: fault, $metadata: {}, message });

/** The operation a request asks for, from its method, path and `X-Amz-Target` header. */
export function operationOf(method: string | undefined, path: string, target: string | undefined): ServedOperation {
  if (method !== 'POST' || path !== '/') {
    throw wireError('UnknownOperationException', `Only POST / is served (AWS JSON 1.1 with an X-Amz-Target header), not ${method} ${path}`);
  }
  if (!target) throw wireError('UnknownOperationException', 'The X-Amz-Target header is missing; expected RekognitionService.<Operation>');
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (!SERVED_OPERATIONS.includes(operation as ServedOperation)) {
    throw wireError(
      'UnknownOperationException',
      `X-Amz-Target ${target}: this server runs ${SERVED_OPERATIONS.map((name) => TARGET_PREFIX + name).join(' and ')} only`,
    );
  }
  return operation as ServedOperation;
}

/** The request shape; an empty body is an empty request, as the service reads it. */
export function parseRequestBody(body: Uint8Array): unknown {
  const text = Buffer.from(body).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw wireError('SerializationException', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export const successResponse = (output: object): WireResponse => ({
  statusCode: 200,
  headers: { 'content-type': AWS_JSON_CONTENT_TYPE },
  body: JSON.stringify(output),
});

/** Any error as the service would send it; errors without an exception name are internal errors. */
export function errorResponse(error: unknown): WireResponse {
  const { name, message, fault } = describeError(error);
  return {
    statusCode: fault === 'server' ? 500 : 400,
    headers: { 'content-type': AWS_JSON_CONTENT_TYPE, 'x-amzn-errortype': name },
    body: JSON.stringify({ __type: name, Code: name, Message: message }),
  };
}

/** The exception name, message and fault an error goes on the wire with. */
export function describeError(error: unknown): { name: string; message: string; fault: 'client' | 'server' } {
  if (error instanceof RekognitionServiceException) return { name: error.name, message: error.message, fault: error.$fault };
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'InternalServerError', message: message || 'Internal server error', fault: 'server' };
}
