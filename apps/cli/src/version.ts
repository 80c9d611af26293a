/** The version `slmgr --version` and `/dlv` print. */
export const VERSION = '0.1.0';
