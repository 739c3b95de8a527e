/** The global options that choose where and as whom the CLI talks to AWS. */
export interface AwsOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/**
 * Puts the global options where the AWS SDK looks for them (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL),
 * before any client exists: the SDK's own resolution then applies unchanged, profiles and credential
 * providers included, and the library's clients treat an endpoint override as it must (queue URLs are not
 * used as the endpoint).
 */
export function applyAwsOptions(options: AwsOptions, env: NodeJS.ProcessEnv = process.env): void {
  if (options.profile !== undefined) env.AWS_PROFILE = options.profile;
  if (options.region !== undefined) env.AWS_REGION = options.region;
  if (options.endpointUrl !== undefined) env.AWS_ENDPOINT_URL = options.endpointUrl;
}
