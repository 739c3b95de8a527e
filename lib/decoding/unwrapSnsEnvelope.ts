import { BodyDecodeError } from '../errors.js';

/**
 * SNS -> SQS delivery without raw delivery wraps the published message in a notification envelope
 * (`{ Type: "Notification", Message, ... }`, docs/aws-semantics.md#sns-envelope); this returns the `Message`.
 */
export function unwrapSnsEnvelope(body: string, messageId: string): string {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new BodyDecodeError(
      messageId,
      'body is not an SNS envelope (not JSON). Is raw message delivery on?',
    );
  }
  const { Type, Message } = (envelope ?? {}) as { Type?: unknown; Message?: unknown };
  if (Type !== 'Notification' || typeof Message !== 'string') {
    throw new BodyDecodeError(
      messageId,
      'body is not an SNS notification envelope (needs Type "Notification" and a string Message). ' +
        'Is raw message delivery on? Then use envelope: "none".',
    );
  }
  return Message;
}
