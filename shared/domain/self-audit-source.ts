/** Source name of the events Attest writes about itself (vault operations, imports); reserved for them. */
export const SELF_AUDIT_SOURCE = 'attest';
