import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * Properties of {@link AlertTopic}.
 *
 * @example
 * const props: AlertTopicProps = { emails: ['oncall@example.com'] };
 */
export interface AlertTopicProps {
  /**
   * Addresses subscribed by email. Each must confirm the subscription from the mail AWS sends before it
   * receives anything.
   * @default none: subscribe what you like to `topic`
   */
  readonly emails?: readonly string[];
  /**
   * The key the topic is encrypted with. The construct adds the statement CloudWatch needs to its policy; an
   * imported key's policy cannot be changed from here, so that statement is yours to add (a warning says so).
   * @default a new customer managed key with rotation, dedicated to this topic
   */
  readonly encryptionKey?: kms.IKey;
}

/** A plausible address: something@domain.tld, no spaces. SNS itself checks no more at deploy time. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether AlertTopic takes this as an address to subscribe. */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text);
}

/**
 * An SNS topic that CloudWatch alarms can publish to, encrypted at rest and TLS-only: pass `action` to
 * FailsafeConsumer's `alarmActions`. It exists because the obvious topic does not work: SNS's AWS managed
 * key (`alias/aws/sns`) does not let CloudWatch encrypt, so alarm actions on such a topic fail with only a
 * line in the alarm history, and a topic policy (which `enforceSSL` creates) replaces the default one that let
 * CloudWatch publish. This one uses a customer managed key whose policy admits CloudWatch, and a topic
 * policy that admits this account's alarms.
 *
 * @example
 * const alerts = new AlertTopic(this, 'Alerts', { emails: ['oncall@example.com'] });
 * new FailsafeConsumer(this, 'Orders', { entry: 'src/orders.ts', alarmActions: [alerts.action] });
 */
export class AlertTopic extends Construct {
  readonly topic: sns.Topic;
  readonly encryptionKey: kms.IKey;
  /** The alarm action that publishes to the topic. */
  readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlertTopicProps = {}) {
    super(scope, id);
    const invalid = (props.emails ?? []).filter((email) => !isEmailAddress(email));
    if (invalid.length > 0) {
      throw new Error(
        `AlertTopic ${this.node.path}: not an email address: ${invalid.map((email) => JSON.stringify(email)).join(', ')}. ` +
          'Give addresses like name@example.com.',
      );
    }

    const stack = Stack.of(this);
    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'sqs-failsafe alert topic: lets CloudWatch alarms publish to an encrypted topic',
        enableKeyRotation: true,
        // The key serves this topic only: it goes with it rather than stay billed with nothing to decrypt.
        removalPolicy: RemovalPolicy.DESTROY,
        pendingWindow: Duration.days(7),
      });
    // This account's alarms only: without the conditions any account's alarm could have CloudWatch use the
    // key (the confused deputy, docs/aws-semantics.md#alarms-publishing-to-an-encrypted-topic).
    const alarmsOfThisAccount = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': alarmsOfThisAccount },
    };
    const keyStatement = new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToTheAlertTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromThisAccountsAlarms,
    });
    if (!this.encryptionKey.addToResourcePolicy(keyStatement).statementAdded) {
      Annotations.of(this).addWarningV2(
        'sqs-failsafe:alertTopicKeyPolicy',
        'The alert topic uses an imported key whose policy this app cannot change: allow the service principal ' +
          'cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* on it, conditioned on aws:SourceAccount ' +
          "and aws:SourceArn (this account's alarms), or alarm actions will fail.",
      );
    }

    this.topic = new sns.Topic(this, 'Topic', { enforceSSL: true, masterKey: this.encryptionKey });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    for (const email of props.emails ?? []) this.topic.addSubscription(new EmailSubscription(email));
    this.action = new SnsAction(this.topic);
  }
}
