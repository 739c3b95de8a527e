import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExampleStack } from './ExampleStack.js';
import { readExampleContext } from './exampleContext.js';

/**
 * The example app: one ExampleStack configured from context, checked by cdk-nag's AwsSolutions pack (any
 * finding not acknowledged with a reason fails synthesis). Shared by infra/app.ts and the tests.
 */
export function createExampleApp(props: AppProps = {}): { app: App; stack: ExampleStack } {
  const app = new App(props);
  const settings = readExampleContext(app.node);
  const stack = new ExampleStack(app, settings.stackName, {
    settings,
    description: 'sqs-failsafe example: a failure-handled SQS consumer with DLQ, topic, alarms and dashboard',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
