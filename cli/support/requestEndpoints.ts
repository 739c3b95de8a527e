import { isIP } from 'node:net';
import type { Command } from 'commander';
import { parseSqsArn } from '../../lib/aws/queueReference.js';

/**
 * Where the CLI may send requests signed with the operator's credentials (docs/aws-semantics.md#sqs-endpoints):
 * the SQS endpoint of the region a queue URL names, or an endpoint the operator named (`--endpoint-url`, or
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SQS). The SDK sends a request to the host in its `QueueUrl` unless an
 * endpoint is configured, so a queue URL naming any other host would hand that host the access key id and a
 * signature; over plain HTTP, anyone on the way too. Anything else is refused before a request is made.
 */

/** A queue URL's host on AWS: `sqs.<region>.amazonaws.com`, the FIPS and legacy forms, and China's domain. */
const AWS_QUEUE_HOST =
  /^(?:sqs(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)|([a-z]{2}(?:-[a-z]+)+-\d)\.queue)\.amazonaws\.com(?:\.cn)?$/;

/** Thrown, before any request, for a destination the CLI will not sign requests to. */
export class RequestEndpointError extends Error {
  override name = 'RequestEndpointError';
}

export interface EndpointSettings {
  /** `--endpoint-url`, AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL: the operator's explicit endpoint. */
  readonly endpointUrl: string | undefined;
  /** Where that endpoint was given, for a refusal to name what to change: a flag or a variable. */
  readonly endpointFrom?: string;
  /** `--region`, AWS_REGION or AWS_DEFAULT_REGION. */
  readonly region: string | undefined;
}

/**
 * The endpoint and region in force once the global options were applied to the environment (the SDK prefers
 * AWS_ENDPOINT_URL_SQS to AWS_ENDPOINT_URL, which `--endpoint-url` sets).
 */
export function endpointSettings(
  env: NodeJS.ProcessEnv = process.env,
  flags: { readonly endpointUrl?: string } = {},
): EndpointSettings {
  const endpointFrom =
    env.AWS_ENDPOINT_URL_SQS !== undefined
      ? 'AWS_ENDPOINT_URL_SQS'
      : flags.endpointUrl !== undefined
        ? '--endpoint-url'
        : 'AWS_ENDPOINT_URL';
  return {
    endpointUrl: env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL,
    endpointFrom,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
  };
}

/** A host on this machine: the one place plain HTTP is allowed (a local server, LocalStack). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Checks an explicit endpoint: an https URL anywhere, or plain http to this machine only.
 *
 * @example
 * checkEndpointUrl('http://localhost:4566'); // fine
 * checkEndpointUrl('http://10.0.0.5:4566'); // throws RequestEndpointError
 */
export function checkEndpointUrl(endpointUrl: string, from = '--endpoint-url'): void {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new RequestEndpointError(
      `${from} ${endpointUrl}: not a URL. Give one such as https://sqs.eu-west-1.amazonaws.com or http://localhost:4566.`,
    );
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new RequestEndpointError(
    url.protocol === 'http:'
      ? `${from} ${endpointUrl}: plain http would send your access key id and request signatures in clear to ` +
          `${url.host}. Use https, or plain http only to a local endpoint (localhost, 127.0.0.1, [::1]).`
      : `${from} ${endpointUrl}: not an http(s) URL.`,
  );
}

/**
 * The region a queue reference names (a queue URL on AWS, or an ARN), or undefined for a plain name. Refuses a
 * queue URL the CLI would send signed requests for to a host that is not SQS's endpoint for a region, unless
 * an endpoint was named (then every request goes there, whatever host the URL names).
 *
 * @example
 * queueReferenceRegion('https://sqs.eu-west-1.amazonaws.com/111122223333/orders', settings); // 'eu-west-1'
 */
export function queueReferenceRegion(reference: string, settings: EndpointSettings): string | undefined {
  const arn = parseSqsArn(reference);
  if (arn !== undefined) return arn.region;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) return undefined;
  if (settings.endpointUrl !== undefined) return undefined;
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw new RequestEndpointError(`${reference}: not a queue URL, ARN or name.`);
  }
  const match = AWS_QUEUE_HOST.exec(url.hostname);
  if (match === null || url.protocol !== 'https:') {
    throw new RequestEndpointError(
      `${reference}: requests for this queue would be signed with your credentials and sent to ${url.host}` +
        `${url.protocol === 'https:' ? '' : ' over plain http'}, which is not the SQS endpoint of a region ` +
        '(https://sqs.<region>.amazonaws.com/<account>/<queue>). Give the queue by that URL, its ARN or its ' +
        'name; for a local server or LocalStack, name it with --endpoint-url.',
    );
  }
  return match[1] ?? match[2];
}

/**
 * Checks every queue reference of a command and the explicit endpoint, and returns the region to sign for:
 * the one the references name when no region is configured (so a queue URL alone is enough), the configured
 * one otherwise. Refuses references to another region than the configured one, or to several regions.
 */
export function checkRequestEndpoints(
  references: readonly string[],
  settings: EndpointSettings,
): string | undefined {
  if (settings.endpointUrl !== undefined) checkEndpointUrl(settings.endpointUrl, settings.endpointFrom);
  const regions = new Set<string>();
  for (const reference of references) {
    const region = queueReferenceRegion(reference, settings);
    if (region === undefined) continue;
    if (settings.region !== undefined && region !== settings.region) {
      throw new RequestEndpointError(
        `${reference} is in ${region}, but the region is ${settings.region}: requests would go to the wrong ` +
          `region's endpoint. Pass --region ${region}.`,
      );
    }
    regions.add(region);
  }
  if (regions.size > 1) {
    throw new RequestEndpointError(
      `The queues are in several regions (${[...regions].join(', ')}): run one command per region, with --region.`,
    );
  }
  return settings.region ?? [...regions][0];
}

/** The arguments and options, across the commands, that name queues: what checkRequestEndpoints judges. */
const QUEUE_ARGUMENTS: ReadonlySet<string> = new Set(['dlq', 'queue']);
const QUEUE_OPTIONS = ['source', 'parkingQueue', 'queue'] as const;

/** Every queue reference a parsed command was given, positional or option, repeated or not. */
export function queueReferencesOf(command: Command): string[] {
  const references: unknown[] = [];
  command.registeredArguments.forEach((argument, index) => {
    if (QUEUE_ARGUMENTS.has(argument.name())) references.push(command.processedArgs[index]);
  });
  const options = command.opts();
  for (const option of QUEUE_OPTIONS) references.push(options[option]);
  return references.flat().filter((reference): reference is string => typeof reference === 'string');
}
