/** The wire format and the signature check as pure functions, without a server. */
import { InvalidParameterException, RekognitionServiceException } from '@aws-sdk/client-rekognition';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { internalServerError, invalidParameter } from '../../src/errors.js';
import { errorResponse, operationOf, parseRequestBody, successResponse } from '../../src/server/aws-json-protocol.js';
import { verifySignatureV4, type ReceivedRequest, type SignatureCheckOptions } from '../../src/server/signature-v4.js';

const expectWireError = (action: () => unknown, name: string, message?: RegExp) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(RekognitionServiceException);
    expect((error as Error).name).toBe(name);
    if (message) expect((error as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected ${name}`);
};

describe('operationOf', () => {
  it('reads the operation from X-Amz-Target', () => {
    expect(operationOf('POST', '/', 'RekognitionService.StartLabelDetection')).toBe('StartLabelDetection');
    expect(operationOf('POST', '/', 'RekognitionService.GetLabelDetection')).toBe('GetLabelDetection');
  });

  it('refuses other operations, other services, a missing target and other methods or paths', () => {
    expectWireError(() => operationOf('POST', '/', 'RekognitionService.DetectLabels'), 'UnknownOperationException', /DetectLabels/);
    expectWireError(() => operationOf('POST', '/', 'DynamoDB_20120810.GetLabelDetection'), 'UnknownOperationException');
    expectWireError(() => operationOf('POST', '/', undefined), 'UnknownOperationException', /X-Amz-Target header is missing/);
    expectWireError(() => operationOf('GET', '/', 'RekognitionService.GetLabelDetection'), 'UnknownOperationException', /GET \//);
    expectWireError(() => operationOf('POST', '/v1', 'RekognitionService.GetLabelDetection'), 'UnknownOperationException', /\/v1/);
  });
});

describe('parseRequestBody', () => {
  it('parses JSON and reads an empty body as an empty request', () => {
    expect(parseRequestBody(Buffer.from('{"JobId":"a"}'))).toEqual({ JobId: 'a' });
    expect(parseRequestBody(new Uint8Array())).toEqual({});
  });

  it('answers malformed JSON with a SerializationException', () => {
    expectWireError(() => parseRequestBody(Buffer.from('{"JobId":')), 'SerializationException', /not valid JSON/);
  });
});

describe('responses', () => {
  it('sends results as AWS JSON 1.1', () => {
    const response = successResponse({ JobId: 'abc' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(response.body)).toEqual({ JobId: 'abc' });
  });

  it('sends client errors as 400 with __type, Code, Message and x-amzn-ErrorType', () => {
    const response = errorResponse(invalidParameter('MinConfidence: must be a number between 0 and 100'));
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('InvalidParameterException');
    expect(JSON.parse(response.body)).toEqual({
      __type: 'InvalidParameterException',
      Code: 'InvalidParameterException',
      Message: 'MinConfidence: must be a number between 0 and 100',
    });
  });

  it('sends server faults, and errors without an exception name, as 500 InternalServerError', () => {
    expect(errorResponse(internalServerError('disk full')).statusCode).toBe(500);
    const response = errorResponse(new TypeError('x is undefined'));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'InternalServerError', Message: 'x is undefined' });
  });

  it('keeps the name of the SDK classes', () => {
    expect(invalidParameter('m')).toBeInstanceOf(InvalidParameterException);
    expect(JSON.parse(errorResponse(invalidParameter('m')).body).__type).toBe(new InvalidParameterException({ message: 'm', $metadata: {} }).name);
  });
});

describe('verifySignatureV4', () => {
  const credentials = { accessKeyId: 'AKIDSERVER', secretAccessKey: 'server-secret' };
  const signingDate = new Date(Date.UTC(2024, 4, 17, 12, 0, 0));
  const nowMs = signingDate.getTime();
  const body = Buffer.from('{"JobId":"abc"}');

  class Sha256 extends Hash {
    constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
      super('sha256', secret);
    }
  }

  /** Signs the request as an SDK client would, and hands it over as the server receives it. */
  async function signedRequest(
    overrides: { applyChecksum?: boolean; secretAccessKey?: string; accessKeyId?: string; region?: string; service?: string; date?: Date; extraHeaders?: Record<string, string> } = {},
  ): Promise<ReceivedRequest> {
    const signer = new SignatureV4({
      credentials: { accessKeyId: overrides.accessKeyId ?? credentials.accessKeyId, secretAccessKey: overrides.secretAccessKey ?? credentials.secretAccessKey },
      region: overrides.region ?? 'us-east-1',
      service: overrides.service ?? 'rekognition',
      sha256: Sha256,
      applyChecksum: overrides.applyChecksum ?? true,
    });
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        query: {},
        headers: {
          host: '127.0.0.1:8484',
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'RekognitionService.GetLabelDetection',
          ...overrides.extraHeaders,
        },
        body,
      },
      { signingDate: overrides.date ?? signingDate },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
    return { method: 'POST', path: '/', query: {}, headers, body };
  }

  const rejection = async (request: ReceivedRequest, options: SignatureCheckOptions = { nowMs }) => {
    try {
      await verifySignatureV4(request, credentials, options);
    } catch (error) {
      return error as Error;
    }
    throw new Error('the signature was accepted');
  };

  it('accepts a request signed with the server credentials', async () => {
    await expect(verifySignatureV4(await signedRequest(), credentials, { nowMs })).resolves.toBeUndefined();
    await expect(verifySignatureV4(await signedRequest({ region: 'eu-west-1' }), credentials, { nowMs, region: 'eu-west-1' })).resolves.toBeUndefined();
  });

  it('accepts a request whose body hash is not sent as a header, as botocore and the AWS CLI sign', async () => {
    const request = await signedRequest({ applyChecksum: false });
    expect(request.headers['x-amz-content-sha256']).toBeUndefined();
    await expect(verifySignatureV4(request, credentials, { nowMs })).resolves.toBeUndefined();
    const tampered = { ...request, body: Buffer.from('{"JobId":"abd"}') };
    expect((await rejection(tampered)).name).toBe('InvalidSignatureException');
  });

  it('refuses a request without an Authorization header', async () => {
    const { authorization: _, ...headers } = (await signedRequest()).headers;
    expect((await rejection({ ...(await signedRequest()), headers })).name).toBe('MissingAuthenticationTokenException');
  });

  it('refuses an unknown access key', async () => {
    const error = await rejection(await signedRequest({ accessKeyId: 'AKIDOTHER' }));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toContain('AKIDOTHER');
  });

  it('refuses a signature made with another secret, or over another body', async () => {
    expect((await rejection(await signedRequest({ secretAccessKey: 'wrong' }))).name).toBe('InvalidSignatureException');
    const tampered = { ...(await signedRequest()), body: Buffer.from('{"JobId":"abd"}') };
    expect((await rejection(tampered)).name).toBe('InvalidSignatureException');
  });

  it('refuses a declared payload hash that is not the hash of the body', async () => {
    const request = await signedRequest({ extraHeaders: { 'x-amz-content-sha256': 'a'.repeat(64) } });
    expect((await rejection(request)).message).toMatch(/x-amz-content-sha256/);
  });

  it('refuses another service, another region when one is required, and a tampered signed header', async () => {
    expect((await rejection(await signedRequest({ service: 's3' }))).message).toMatch(/rekognition/);
    const otherRegion = await rejection(await signedRequest({ region: 'eu-west-1' }), { nowMs, region: 'us-east-1' });
    expect(otherRegion.message).toMatch(/region/);
    const request = await signedRequest();
    const retargeted = { ...request, headers: { ...request.headers, 'x-amz-target': 'RekognitionService.StartLabelDetection' } };
    expect((await rejection(retargeted)).name).toBe('InvalidSignatureException');
  });

  it('refuses dates more than 15 minutes from the server clock', async () => {
    const sixteenMinutes = 16 * 60 * 1000;
    const fourteenMinutes = 14 * 60 * 1000;
    await expect(verifySignatureV4(await signedRequest(), credentials, { nowMs: nowMs + fourteenMinutes })).resolves.toBeUndefined();
    expect((await rejection(await signedRequest(), { nowMs: nowMs + sixteenMinutes })).message).toMatch(/^Signature expired/);
    expect((await rejection(await signedRequest(), { nowMs: nowMs - sixteenMinutes })).message).toMatch(/^Signature not yet current/);
  });

  it('refuses malformed Authorization headers as incomplete', async () => {
    const request = await signedRequest();
    for (const authorization of ['Basic dXNlcjpwYXNz', 'AWS4-HMAC-SHA256 Credential=AKIDSERVER/20240517/us-east-1/rekognition/aws4_request']) {
      expect((await rejection({ ...request, headers: { ...request.headers, authorization } })).name).toBe('IncompleteSignatureException');
    }
  });
});
