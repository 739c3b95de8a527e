import * as v from 'valibot';

/** doctor's --json output checked against the schema docs/doctor.md gives (a field lost or renamed fails here). */
export function parseDoctorReport(stdout: string) {
  const finding = v.strictObject({
    rule: v.string(),
    severity: v.picklist(['error', 'warning']),
    subject: v.string(),
    prop: v.string(),
    value: v.string(),
    problem: v.string(),
    why: v.string(),
    reference: v.pipe(v.string(), v.startsWith('docs/aws-semantics.md#')),
    fix: v.string(),
    awsFix: v.optional(v.string()),
  });
  const report = v.strictObject({
    version: v.literal(1),
    consumers: v.array(
      v.strictObject({
        queueUrl: v.string(),
        queueName: v.string(),
        functionName: v.optional(v.string()),
        mappingUuid: v.optional(v.string()),
        findings: v.array(finding),
        unread: v.array(v.string()),
      }),
    ),
    summary: v.strictObject({ consumers: v.number(), errors: v.number(), warnings: v.number() }),
  });
  return v.parse(report, JSON.parse(stdout));
}
