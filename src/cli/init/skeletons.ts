/**
 * What `owsim init KIND NAME` can write: one skeleton writer per kind. Each returns the files (paths relative
 * to the target folder) of a typed module, a scenario that runs it and a test.
 */
import { containerPolicySkeleton } from './containerPolicySkeleton.js';

export interface SkeletonFile {
  readonly path: string;
  readonly text: string;
}

export const skeletons: Record<string, (name: string) => SkeletonFile[]> = {
  'container-policy': containerPolicySkeleton,
};

export const skeletonKinds = (): string[] => Object.keys(skeletons).sort();
