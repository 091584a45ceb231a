/**
 * "Did you mean …?" for unknown keys, enum values and scenario names. Levenshtein distance on lower-cased
 * text; a candidate is offered when it is within a third of the word's length (at least 2 edits allowed), or
 * when one is a prefix of the other (`invoker` → `invokers`). Ties keep the candidates' order.
 */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate to `word`, or undefined when none is close enough to be a plausible typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    const distance = editDistance(w, c);
    const allowed = Math.max(2, Math.floor(Math.max(w.length, c.length) / 3));
    const prefix = w.length >= 3 && (c.startsWith(w) || w.startsWith(c));
    if ((distance <= allowed || prefix) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean \`x\`?` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : `; did you mean \`${hit}\`?`;
}
