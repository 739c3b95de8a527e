import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** SNS's AWS managed key: encryption at rest with no key to manage and no key policy to write. */
const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/** The topic for outcome events: TLS required, encrypted with the given key or SNS's AWS managed key. */
export function createConsumerTopic(scope: Construct, encryptionKey: kms.IKey | undefined): sns.Topic {
  const topic = new sns.Topic(scope, 'Topic', { enforceSSL: true, masterKey: encryptionKey });
  if (encryptionKey === undefined) {
    // The L2 takes only an IKey, and an alias imported by name cannot be granted on; the AWS managed key's
    // own policy already lets same-account principals publish through SNS, so the alias is set directly.
    (topic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = AWS_MANAGED_SNS_KEY;
  }
  return topic;
}
