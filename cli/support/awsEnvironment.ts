/** The global options that choose where and as whom the CLI talks to AWS. */
export interface AwsOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/** Each global option with the environment variable that stands in for it. */
export const AWS_SETTINGS = {
  profile: { flag: '--profile', variable: 'AWS_PROFILE' },
  region: { flag: '--region', variable: 'AWS_REGION' },
  endpointUrl: { flag: '--endpoint-url', variable: 'AWS_ENDPOINT_URL' },
} as const satisfies Record<keyof AwsOptions, { flag: string; variable: string }>;

/**
 * Puts the global options where the AWS SDK looks for them (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL),
 * before any client exists: the SDK's own resolution then applies unchanged, profiles and credential
 * providers included, and the library's clients treat an endpoint override as it must (queue URLs are not
 * used as the endpoint).
 */
export function applyAwsOptions(options: AwsOptions, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, { variable }] of Object.entries(AWS_SETTINGS)) {
    const value = options[key as keyof AwsOptions];
    if (value !== undefined) env[variable] = value;
  }
}

/**
 * Where a setting in effect came from, for messages that tell the user what to change: `the profile
 * 'ops' (--profile)` or `(AWS_PROFILE)`. Undefined when it is not set at all.
 */
export function settingSource(
  key: keyof AwsOptions,
  options: AwsOptions,
  env: NodeJS.ProcessEnv = process.env,
): { value: string; from: string } | undefined {
  const { flag, variable } = AWS_SETTINGS[key];
  const given = options[key];
  if (given !== undefined) return { value: given, from: flag };
  const value = env[variable];
  return value === undefined || value === '' ? undefined : { value, from: variable };
}

/**
 * An endpoint in AWS_ENDPOINT_URL that is not a URL (the --endpoint-url flag is checked when parsed), as
 * one sentence saying how to fix it; undefined when there is nothing wrong.
 */
export function endpointVariableProblem(options: AwsOptions, env: NodeJS.ProcessEnv = process.env) {
  const endpoint = settingSource('endpointUrl', options, env);
  if (endpoint === undefined || endpoint.from !== AWS_SETTINGS.endpointUrl.variable) return undefined;
  if (isHttpUrl(endpoint.value)) return undefined;
  return (
    `AWS_ENDPOINT_URL is '${endpoint.value}', which is not a URL: set it to one such as ` +
    'http://localhost:4566, or unset it to reach AWS (--endpoint-url overrides it).'
  );
}

export function isHttpUrl(text: string): boolean {
  const url = URL.parse(text);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:');
}
