import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import { joinedText, testStack } from './helpers/consumerStack.js';

/** Every statement of every IAM policy in the template, resources as text. */
function allStatements(template: Template) {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).map((statement) => ({
      effect: statement.Effect,
      actions: [statement.Action as string | string[]].flat(),
      resources: [statement.Resource].flat().map(joinedText),
    })),
  );
}

describe('least privilege, in every variant', () => {
  it.each<[string, FailsafeConsumerProps]>([
    ['the defaults (redrive function and breaker on)', {}],
    ['everything off', { redrive: false, circuitBreaker: false }],
    [
      'everything on',
      {
        maxConcurrency: 10,
        redrive: { parkingQueue: true },
        idempotency: { keyPath: 'order.id' },
      },
    ],
    [
      'a redrive on schedule, FIFO',
      { fifo: true, redrive: { continuation: 'schedule', parkingQueue: true } },
    ],
  ])('%s: no managed policy, no wildcard action or resource, only Allow', (_case, props) => {
    // Prepare
    const { stack } = testStack();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });

    // Act: once with SQS-managed encryption, once with a customer managed key
    new FailsafeConsumer(stack, 'Consumer', props);
    new FailsafeConsumer(stack, 'Encrypted', { ...props, encryptionKey });
    const template = Template.fromStack(stack);

    // Assess
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const statements = allStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.effect).toBe('Allow');
      for (const action of statement.actions) expect(action).not.toContain('*');
      for (const resource of statement.resources) expect(resource).not.toContain('*');
    }
  });
});
