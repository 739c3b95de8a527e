/**
 * Resolves the CloudFormation intrinsic functions a CDK template uses for the resources the local runtime
 * emulates: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::GetAZs (empty) and pseudo
 * parameters. A reference to something not (yet) available throws an UnresolvedReference, which the
 * provisioner uses to order creation; anything else unsupported throws with the path of the value.
 */
export interface IntrinsicScope {
  ref(logicalId: string): string | undefined;
  getAtt(logicalId: string, attribute: string): string | undefined;
  readonly pseudo: Readonly<Record<string, string>>;
}

export class UnresolvedReference extends Error {
  override name = 'UnresolvedReference';
  constructor(readonly logicalId: string) {
    super(`reference to ${logicalId} is not available yet`);
  }
}

export class UnsupportedIntrinsic extends Error {
  override name = 'UnsupportedIntrinsic';
}

export function resolveIntrinsics(value: unknown, scope: IntrinsicScope, path = '$'): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => resolveIntrinsics(item, scope, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    return resolveFunction(key, argument, scope, path);
  }
  return Object.fromEntries(
    entries.map(([name, item]) => [name, resolveIntrinsics(item, scope, `${path}.${name}`)]),
  );
}

/** A resolved value as the string CloudFormation would substitute. */
export function resolveString(value: unknown, scope: IntrinsicScope, path = '$'): string {
  const resolved = resolveIntrinsics(value, scope, path);
  return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
}

function resolveFunction(name: string, argument: unknown, scope: IntrinsicScope, path: string): unknown {
  switch (name) {
    case 'Ref': {
      const id = String(argument);
      const pseudo = scope.pseudo[id];
      if (pseudo !== undefined) return pseudo;
      const ref = scope.ref(id);
      if (ref === undefined) throw new UnresolvedReference(id);
      return ref;
    }
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
      const value = scope.getAtt(String(id), String(attribute));
      if (value === undefined) throw new UnresolvedReference(String(id));
      return value;
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return (resolveIntrinsics(parts, scope, path) as unknown[]).map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = argument as [unknown, unknown];
      return (resolveIntrinsics(list, scope, path) as unknown[])[
        Number(resolveIntrinsics(index, scope, path))
      ];
    }
    case 'Fn::Split': {
      const [separator, text] = argument as [string, unknown];
      return String(resolveIntrinsics(text, scope, path)).split(separator);
    }
    case 'Fn::GetAZs':
      return [];
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
      const resolvedVariables = resolveIntrinsics(variables, scope, path) as Record<string, unknown>;
      return String(template).replace(/\$\{([^}!][^}]*)\}/g, (_, expression: string) => {
        if (expression in resolvedVariables) return String(resolvedVariables[expression]);
        const [id, attribute] = expression.split('.');
        if (attribute !== undefined)
          return String(resolveFunction('Fn::GetAtt', [id, attribute], scope, path));
        return String(resolveFunction('Ref', id, scope, path));
      });
    }
    default:
      throw new UnsupportedIntrinsic(`${name} at ${path} is not supported by the local runtime`);
  }
}
