import { type AwsOptions, settingSource } from './awsEnvironment.js';

/**
 * The AWS SDK's errors about the CLI's own set-up (no region, no credentials, an endpoint that does not
 * answer) say what is missing but not what to change. This turns them into a sentence naming the flag or
 * the environment variable to set; undefined for any other error, which speaks for itself.
 */
export function explainAwsError(
  error: unknown,
  options: AwsOptions,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const profile = settingSource('profile', options, env);
  const endpoint = settingSource('endpointUrl', options, env);
  const profileNote =
    profile === undefined
      ? ''
      : ` The profile '${profile.value}' (${profile.from}) gives none: is it in ~/.aws/config?`;
  if (error.message === 'Region is missing') {
    return `No AWS region: pass --region <region> (for example --region eu-west-1) or set AWS_REGION.${profileNote}`;
  }
  if (error.name === 'CredentialsProviderError') {
    const local =
      endpoint === undefined
        ? ''
        : ` Against ${endpoint.value} (${endpoint.from}) any values do, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local.`;
    if (profile !== undefined) {
      return (
        `No AWS credentials from the profile '${profile.value}' (${profile.from}): it is not in ~/.aws/config or ` +
        '~/.aws/credentials, or holds no credentials. Pass --profile with one that `aws configure list-profiles` ' +
        `lists, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.${local}`
      );
    }
    return (
      'No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN too for ' +
      `temporary ones), or pass --profile <name> (or set AWS_PROFILE) with a profile from ~/.aws/config.${local}`
    );
  }
  const code = (error as { code?: unknown }).code;
  if (endpoint !== undefined && (code === 'ECONNREFUSED' || code === 'ENOTFOUND')) {
    return (
      `Nothing answers at ${endpoint.value} (${endpoint.from}): start the server there, or point ` +
      `${endpoint.from} at the right one${endpoint.from === 'AWS_ENDPOINT_URL' ? ' (unset it to reach AWS)' : ''}.`
    );
  }
  return undefined;
}
