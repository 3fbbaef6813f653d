/**
 * A test for a (folded) phrase inside (folded) text: Latin-script phrases match whole words ("order
 * status" is not inside "border statuses"), others — Chinese — anywhere. Compile once, test often.
 */
export function phraseMatcher(phrase: string): (text: string) => boolean {
  if (!/^[\p{Script=Latin}\d\s'-]+$/u.test(phrase)) return (text) => text.includes(phrase);
  const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^\\p{L}\\p{N}])`, 'u');
  return (text) => re.test(text);
}
