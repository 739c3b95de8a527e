import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../infra/alerts/AlertTopic.js';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { ACCOUNT, joinedText, REGION, testStack } from './helpers/consumerStack.js';

const CLOUDWATCH = { Service: 'cloudwatch.amazonaws.com' };

describe('AlertTopic', () => {
  it('encrypts with a rotating key of its own whose policy lets CloudWatch alarms encrypt', () => {
    const { stack } = testStack();
    new AlertTopic(stack, 'Alerts');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: CLOUDWATCH,
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Effect: 'Allow',
          }),
        ]),
      },
    });
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0] as string;
    // Only this account's alarms: the confused deputy (docs/aws-semantics.md#alarms-publishing-to-an-encrypted-topic).
    const keyStatements = template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement as Record<
      string,
      unknown
    >[];
    const cloudWatch = keyStatements.find(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify(CLOUDWATCH),
    );
    const condition = cloudWatch?.Condition as {
      StringEquals: Record<string, unknown>;
      ArnLike: Record<string, unknown>;
    };
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(joinedText(condition.ArnLike['aws:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`,
    );
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('lets this account’s alarms publish, and nobody without TLS', () => {
    const { stack } = testStack();
    new AlertTopic(stack, 'Alerts');
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'))[0];
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const publish = statements.find((statement) => statement.Effect === 'Allow');
    expect(publish).toMatchObject({ Principal: CLOUDWATCH, Action: 'sns:Publish' });
    const condition = publish?.Condition as {
      StringEquals: Record<string, unknown>;
      ArnLike: Record<string, unknown>;
    };
    expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(joinedText(condition.ArnLike['aws:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudwatch:${REGION}:${ACCOUNT}:alarm:*`,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('subscribes each address by email', () => {
    const { stack } = testStack();
    new AlertTopic(stack, 'Alerts', { emails: ['ops@example.com', 'oncall@example.org'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.org',
    });
  });

  it('refuses what is not an email address, naming it', () => {
    const { stack } = testStack();
    expect(
      () => new AlertTopic(stack, 'Alerts', { emails: ['ops@example.com', 'ops at example', ''] }),
    ).toThrow(
      'AlertTopic Test/Alerts: not an email address: "ops at example", "". Give addresses like name@example.com.',
    );
  });

  it('warns that an imported key needs the CloudWatch statement added by hand', () => {
    const { stack } = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/abc');
    new AlertTopic(stack, 'Alerts', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Alerts',
      Match.stringLikeRegexp('allow the service principal cloudwatch.amazonaws.com'),
    );
  });

  it('is what a consumer’s alarmActions take', () => {
    const { stack } = testStack();
    const alerts = new AlertTopic(stack, 'Alerts');
    new FailsafeConsumer(stack, 'Consumer', { alarmActions: [alerts.action] });
    const topicId = Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('Alerts'),
    );
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [{ Ref: topicId }],
    });
  });
});
