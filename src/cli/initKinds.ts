/** The kinds of module `owsim init` writes: listed apart from the templates so `--help` need not load them. */
export const INIT_KINDS = ['balancer', 'container-policy'] as const;
export type InitKind = (typeof INIT_KINDS)[number];
