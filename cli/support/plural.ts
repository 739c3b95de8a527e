/**
 * `1 topic`, `2 topics`, `1 message`, `0 messages`: a count with its noun in the right number.
 *
 * @example
 * plural(1, 'schedule') // '1 schedule'
 * plural(3, 'alarm transition') // '3 alarm transitions'
 */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
