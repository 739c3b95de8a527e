import { writeGeneratedDoc } from './generatedSections.js';

/**
 * `npm run docs:update`: rewrites the sections of docs/construct.md written from code (the setup rules, the
 * bad-input table). Run it after adding a rule or a bad-input case, and commit the diff.
 */
writeGeneratedDoc();
console.log('docs/construct.md: generated sections rewritten');
