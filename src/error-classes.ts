/**
 * Errors are the AWS SDK's own exception classes, so code written for Rekognition keeps working:
 * `err instanceof InvalidParameterException`, `err.name`, `err.$fault` all behave as with the service.
 */
export {
  AccessDeniedException,
  IdempotentParameterMismatchException,
  InternalServerError,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ResourceNotFoundException,
  RekognitionServiceException,
  VideoTooLargeException,
} from '@aws-sdk/client-rekognition';
