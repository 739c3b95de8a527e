import { runRedriveThroughput } from './suites/redriveThroughput.js';

/** `npx tsx bench/redrive.ts`: the redrive throughput suite alone (the bench runner also registers it). */
console.log(`sqs-failsafe redrive benchmark: Node ${process.version}, ${process.platform}/${process.arch}\n`);
const { summary } = await runRedriveThroughput();
console.log('Summary');
for (const { label, value, met } of summary) {
  console.log(`  ${label}: ${value}${met === undefined ? '' : ` [${met ? 'met' : 'MISSED'}]`}`);
}
