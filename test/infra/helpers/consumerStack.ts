import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FailsafeConsumer } from '../../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../../infra/consumer/failsafeConsumerProps.js';

/** Context that skips bundling: templates are checked without running esbuild for every test. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/** A stack in a fixed environment, with bundling skipped. */
export function testStack(): { app: App; stack: Stack } {
  const app = new App({ context: SKIP_BUNDLING });
  const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
  return { app, stack };
}

/** One consumer (id `Consumer`) in a fresh test stack, and its template. */
export function synthConsumer(props: FailsafeConsumerProps = {}) {
  const { app, stack } = testStack();
  const consumer = new FailsafeConsumer(stack, 'Consumer', props);
  return { app, stack, consumer, template: Template.fromStack(stack) };
}

/** Resolves a Fn::Join of literals and references into text, writing references as `<LogicalId>`. */
export function joinedText(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(joinedText).join(separator);
  }
  if ('Ref' in object) return `<${object.Ref as string}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The logical id of the only resource of a type. */
export function onlyLogicalId(template: Template, type: string, props?: Record<string, unknown>): string {
  const ids = Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

export interface StatementSummary {
  readonly actions: readonly string[];
  /** The resource as text, references written as `<LogicalId>` (see joinedText). */
  readonly resource: string;
  readonly condition?: unknown;
}

/** The statements of the policies attached to a function's role, in order, resources as text. */
export function roleStatements(template: Template, functionId: string): StatementSummary[] {
  const role = template.toJSON().Resources[functionId]?.Properties.Role as { 'Fn::GetAtt': [string, string] };
  const roleId = role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).map((statement) => ({
      actions: [statement.Action as string | string[]].flat(),
      resource: joinedText(statement.Resource),
      ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
    })),
  );
}

/** The logical id of the only function whose environment sets this variable. */
export function functionWithVariable(template: Template, variable: string): string {
  return onlyLogicalId(template, 'AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ [variable]: Match.anyValue() }) },
  });
}

/** The value of one environment variable of a function, as text (see joinedText). */
export function variableText(template: Template, functionId: string, variable: string): string {
  const variables = template.toJSON().Resources[functionId]?.Properties.Environment.Variables ?? {};
  return joinedText(variables[variable]);
}

/**
 * A cycle among the template's resources (Ref, Fn::GetAtt, Fn::Sub and DependsOn), as logical ids; undefined when
 * there is none. CloudFormation refuses such a template at deploy time, which synthesis does not catch.
 */
export function dependencyCycle(template: Template): string[] | undefined {
  const resources = template.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>([resource.DependsOn ?? []].flat());
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string' && inner in resources) targets.add(inner);
          else if (key === 'Fn::GetAtt' && Array.isArray(inner) && String(inner[0]) in resources)
            targets.add(String(inner[0]));
          else if (key === 'Fn::Sub' && typeof inner === 'string')
            for (const match of inner.matchAll(/\$\{([A-Za-z0-9]+)/g))
              if ((match[1] as string) in resources) targets.add(match[1] as string);
          visit(inner);
        }
      }
    };
    visit(resource);
    edges.set(id, targets);
  }
  const state = new Map<string, 'open' | 'done'>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) {
      const cycle = walk(next, [...path, id]);
      if (cycle !== undefined) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = walk(id, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
