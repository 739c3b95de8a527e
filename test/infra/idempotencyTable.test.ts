import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import {
  functionWithVariable,
  joinedText,
  onlyLogicalId,
  roleStatements,
  synthConsumer,
  testStack,
  variableText,
} from './helpers/consumerStack.js';

const TABLE = 'AWS::DynamoDB::Table';

/** The idempotency table, beside the attempt ledger every consumer has. */
function idempotencyTableId(template: Template): string {
  const [id] = Object.keys(template.findResources(TABLE)).filter((logicalId) =>
    logicalId.includes('IdempotencyTable'),
  );
  if (id === undefined) throw new Error('no idempotency table');
  return id;
}

describe('FailsafeConsumer: idempotency', () => {
  it('creates no idempotency table by default (the attempt ledger is the only table)', () => {
    const { template, consumer } = synthConsumer();
    template.resourceCountIs(TABLE, 1);
    expect(consumer.idempotencyTable).toBeUndefined();
    expect(consumer.failsafeConfig.idempotency).toBeUndefined();
  });

  it('creates the table in Powertools’ layout: id (String), TTL on expiration, on demand, encrypted, PITR', () => {
    const { template, consumer } = synthConsumer({ idempotency: {} });
    const tableId = idempotencyTableId(template);
    expect(template.toJSON().Resources[tableId]).toEqual({
      Type: TABLE,
      Properties: {
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        // Enabled without a key: DynamoDB's AWS managed key (aws/dynamodb), not the AWS owned one.
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
      UpdateReplacePolicy: 'Delete',
      DeletionPolicy: 'Delete',
    });
    expect(consumer.idempotencyTable).toBeDefined();
  });

  it('keeps the table when asked to', () => {
    const { template } = synthConsumer({ idempotency: { removalPolicy: RemovalPolicy.RETAIN } });
    template.hasResource(TABLE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('passes the table and the settings in SQS_FAILSAFE_CONFIG, expiry completed', () => {
    const { template } = synthConsumer({
      idempotency: { keyPath: 'order.id', inProgressExpiry: Duration.minutes(2) },
    });
    const consumerId = functionWithVariable(template, BATCH_CONFIG_ENV_VAR);
    const config = JSON.parse(variableText(template, consumerId, BATCH_CONFIG_ENV_VAR));
    expect(config.idempotency).toEqual({
      tableName: `<${idempotencyTableId(template)}>`,
      keyPath: 'order.id',
      inProgressExpirySeconds: 120,
      expiresAfterSeconds: 86_400,
    });
  });

  it('grants the consumer exactly GetItem, PutItem, UpdateItem and DeleteItem on that table', () => {
    const { template } = synthConsumer({ idempotency: {} });
    const consumerId = functionWithVariable(template, BATCH_CONFIG_ENV_VAR);
    const dynamoDb = roleStatements(template, consumerId).filter(
      (statement) =>
        statement.actions.some((action) => action.startsWith('dynamodb:')) &&
        statement.resource === `<${idempotencyTableId(template)}.Arn>`,
    );
    expect(dynamoDb).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resource: `<${idempotencyTableId(template)}.Arn>`,
      },
    ]);
    // Nothing else may touch a table.
    for (const id of Object.keys(template.findResources('AWS::Lambda::Function'))) {
      if (id === consumerId) continue;
      const actions = roleStatements(template, id).flatMap((statement) => statement.actions);
      expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    }
  });

  it('encrypts with the customer managed key, usable by the consumer through DynamoDB only', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', { encryptionKey: key, idempotency: {} });
    const template = Template.fromStack(stack);
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key');
    template.hasResourceProperties(TABLE, {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      },
    });
    // One key statement serves both tables: the same actions, through DynamoDB only.
    const statements = roleStatements(template, functionWithVariable(template, BATCH_CONFIG_ENV_VAR));
    const conditioned = statements.filter((candidate) => candidate.condition !== undefined);
    expect(new Set(conditioned.map((candidate) => JSON.stringify(candidate)))).toHaveProperty('size', 1);
    const [statement] = conditioned;
    if (statement === undefined) throw new Error('no statement with a condition');
    expect(statement.actions).toEqual([
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:DescribeKey',
    ]);
    expect(statement.resource).toBe(`<${keyId}.Arn>`);
    const condition = statement.condition as { StringEquals: Record<string, unknown> };
    expect(joinedText(condition.StringEquals['kms:ViaService'])).toBe('dynamodb.eu-west-1.amazonaws.com');
  });
});
