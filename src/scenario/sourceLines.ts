/**
 * Line numbers for problems: the 1-based line of a field path in a parsed YAML (or JSON) document, from the
 * `yaml` package's node ranges. A path that does not exist (a missing field) gets its nearest existing
 * ancestor's line; an unknown key gets the key's own line.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './problems.js';

function keyText(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

export function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PathSegment[]): number | undefined {
  let node: unknown = doc.contents;
  let anchor: Node | undefined = isMap(node) || isSeq(node) || isScalar(node) ? (node as Node) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(keyText(p.key)) === String(segment));
      if (!pair) break;
      anchor = (pair.key as Node | null) ?? anchor;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      anchor = item;
      node = item;
    } else break;
  }
  const offset = anchor?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
