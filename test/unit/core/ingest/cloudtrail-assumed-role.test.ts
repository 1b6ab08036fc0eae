import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../../electron/core/ingest/parse-record';
import { NOW } from './helpers';

// userIdentity of an AWS SSO session, verbatim from elastic/integrations packages/aws/data_stream/cloudtrail
// test logs (test-assume-role-json.log, via /work/notes/realworld2/cloudtrail/elastic-assume-role-email-session.jsonl).
const SSO_IDENTITY = {
  type: 'AssumedRole',
  principalId: 'AROAIN5ATK5U7KEXAMPLE:firstname.lastname@example.com',
  arn: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_SecurityAudit_8df5ccd37b/firstname.lastname@example.com',
  accountId: '111111111111',
  accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
  sessionContext: {
    attributes: { mfaAuthenticated: 'false', creationDate: '2019-10-02T21:50:54Z' },
    sessionIssuer: { type: 'Role', principalId: 'AROAIN5ATK5U7KEXAMPLE', arn: 'arn:aws:iam::111111111111:role/AWSReservedSSO_SecurityAudit_8df5ccd37b', accountId: '111111111111', userName: 'AWSReservedSSO_SecurityAudit_8df5ccd37b' },
  },
};

function parse(identity: Record<string, unknown>) {
  const record = { eventVersion: '1.05', userIdentity: identity, eventTime: '2019-10-02T22:12:29Z', eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', awsRegion: 'us-east-2', sourceIPAddress: '81.2.69.144', eventID: 'e1', recipientAccountId: '111111111111' };
  const out = parseRecord('cloudtrail', Buffer.from(JSON.stringify(record)), { now: NOW });
  if (!out.ok) throw new Error(out.reason);
  return out.events[0]!;
}

describe('CloudTrail assumed roles', () => {
  it('names the person (the role session), not the role everyone shares, and keeps the role and credential', () => {
    const e = parse(SSO_IDENTITY);
    // principalId and the access key as OCSF names them (uid_alt, credential_uid), as in the OCSF project's mapping.
    expect(e.actor?.user).toEqual({ name: 'firstname.lastname@example.com', uid: SSO_IDENTITY.arn, type: 'AssumedRole', uid_alt: SSO_IDENTITY.principalId, credential_uid: 'AKIAI44QH8DHBEXAMPLE' });
    expect(e.unmapped).toMatchObject({ roleName: 'AWSReservedSSO_SecurityAudit_8df5ccd37b' });
  });

  it('falls back to the principalId\'s session part, then to the role, when the ARN does not name the session', () => {
    expect(parse({ ...SSO_IDENTITY, arn: undefined }).actor?.user?.name).toBe('firstname.lastname@example.com');
    expect(parse({ ...SSO_IDENTITY, arn: undefined, principalId: 'AROAIN5ATK5U7KEXAMPLE' }).actor?.user?.name).toBe('AWSReservedSSO_SecurityAudit_8df5ccd37b');
    // An IAM user is still named by its userName.
    expect(parse({ type: 'IAMUser', userName: 'anaya', arn: 'arn:aws:iam::111122223333:user/anaya', principalId: 'AIDACKCEVSQ6C2EXAMPLE' }).actor?.user?.name).toBe('anaya');
  });
});
