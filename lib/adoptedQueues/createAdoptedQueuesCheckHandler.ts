import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeAwsError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { findingLines } from '../liveSetup/findingText.js';
import { readLiveQueue } from '../liveSetup/liveQueue.js';
import {
  ADOPTED_QUEUES_CHECK_PROPERTY,
  type AdoptedQueuesExpectation,
  adoptedQueuesFindings,
  failureReason,
} from './adoptedQueuesCheck.js';

/** The fields of a CloudFormation custom resource request this handler reads. */
export interface CustomResourceRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
}

/** What the handler sends back to CloudFormation (the presigned ResponseURL). */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
}

export interface AdoptedQueuesCheckDependencies {
  readonly sqs?: SQSClient;
  /** Sends the response; by default a PUT to the request's ResponseURL. */
  readonly respond?: (url: string, response: CustomResourceResponse) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** Reads give up long before the function's 60 s timeout, so CloudFormation always gets an answer. */
const READ_WINDOW_MS = 20_000;

/**
 * The deploy-time check of queues the construct adopted (functions/adoptedQueuesCheck): on Create and Update it
 * reads both queues (sqs:GetQueueAttributes only) and answers FAILED, with every error in the words of
 * `sqs-failsafe doctor`, when they are not what the construct was built for or break a setup rule; on Delete it
 * answers SUCCESS at once, since nothing was created. It never leaves CloudFormation waiting: any failure,
 * its own included, is an answer.
 *
 * @example
 * export const handler = createAdoptedQueuesCheckHandler();
 */
export function createAdoptedQueuesCheckHandler(dependencies: AdoptedQueuesCheckDependencies = {}) {
  const respond = dependencies.respond ?? putResponse;
  const log = dependencies.log ?? ((line: string) => console.log(line));
  return async function adoptedQueuesCheck(event: CustomResourceRequest): Promise<CustomResourceResponse> {
    const answer = (status: CustomResourceResponse['Status'], reason?: string): CustomResourceResponse => ({
      Status: status,
      ...(reason === undefined ? {} : { Reason: reason }),
      PhysicalResourceId: event.PhysicalResourceId ?? `sqs-failsafe-queue-check-${event.LogicalResourceId}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    });
    let response: CustomResourceResponse;
    try {
      response =
        event.RequestType === 'Delete' ? answer('SUCCESS') : await check(event, answer, dependencies, log);
    } catch (error) {
      const { name, message } = describeAwsError(error);
      response = answer(
        'FAILED',
        `sqs-failsafe: the check of the existing queues failed: ${name}: ${message}`,
      );
    }
    await respond(event.ResponseURL, response);
    return response;
  };
}

async function check(
  event: CustomResourceRequest,
  answer: (status: CustomResourceResponse['Status'], reason?: string) => CustomResourceResponse,
  dependencies: AdoptedQueuesCheckDependencies,
  log: (line: string) => void,
): Promise<CustomResourceResponse> {
  const expectation = JSON.parse(
    String(event.ResourceProperties[ADOPTED_QUEUES_CHECK_PROPERTY]),
  ) as AdoptedQueuesExpectation;
  const policy: AwsCallPolicy = { deadline: Date.now() + READ_WINDOW_MS };
  const read = (url: string, prop: string) =>
    readLiveQueue(url, policy, dependencies.sqs).catch((error: unknown) => {
      const { name, message } = describeAwsError(error);
      throw new Error(`cannot read ${url} (${prop}): ${name}: ${message}`);
    });
  const [queue, deadLetterQueue] = await Promise.all([
    read(expectation.queueUrl, 'existingQueue.queue'),
    read(expectation.deadLetterQueueUrl, 'existingQueue.deadLetterQueue'),
  ]);
  const { errors, warnings } = adoptedQueuesFindings(expectation, queue, deadLetterQueue);
  for (const finding of [...errors, ...warnings]) log(findingLines(finding).join('\n'));
  return errors.length === 0 ? answer('SUCCESS') : answer('FAILED', failureReason(errors));
}

/** CloudFormation's presigned S3 URL takes the response as the body of a PUT with no content type. */
async function putResponse(url: string, response: CustomResourceResponse): Promise<void> {
  const reply = await fetch(url, { method: 'PUT', body: new TextEncoder().encode(JSON.stringify(response)) });
  if (!reply.ok) throw new Error(`CloudFormation did not take the response: HTTP ${reply.status}`);
}
