import { Problem } from '../errors';
import { problem } from '../messages';

/**
 * The cloud identities a workload names, in the formats their clouds issue. The API server takes
 * any annotation value, so a malformed one would be written unchecked and fail only when the pod
 * asks for credentials; the library refuses it (a policy, README "Validation and safe output").
 * IAM role ARNs: `arn:<partition>:iam::<12-digit account>:role/<path/>name` (AWS IAM identifiers,
 * role names of 1-64 of `\w+=,.@-`); Google service accounts: an e-mail address at
 * `<project>.iam.gserviceaccount.com` (or another `*.gserviceaccount.com`); Azure client ids: a GUID.
 */
const AWS_ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-[a-z])?:iam::[0-9]{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const GCP_SERVICE_ACCOUNT = /^[a-z0-9][-a-z0-9._]*@[a-z0-9][-a-z0-9.:]*\.gserviceaccount\.com$/;
const AZURE_CLIENT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The identities of a workload, as the check sees them. */
export interface IdentityEntry {
  readonly awsRoleArn?: string;
  readonly gcpServiceAccount?: string;
  readonly azureClientId?: string;
}

/** Checks each identity a workload names against the format its cloud issues. */
export function checkIdentity(prop: string, identity: IdentityEntry | undefined): Problem[] {
  const found: Problem[] = [];
  const rule = (key: keyof IdentityEntry, format: RegExp, example: string) => {
    const value = identity?.[key];
    if (value !== undefined && !format.test(value))
      found.push(problem('identity.format', `${prop}.${key}`, value, { key, example }));
  };
  rule('awsRoleArn', AWS_ROLE_ARN, 'arn:aws:iam::111111111111:role/shop-orders');
  rule('gcpServiceAccount', GCP_SERVICE_ACCOUNT, 'orders@acme-shop.iam.gserviceaccount.com');
  rule('azureClientId', AZURE_CLIENT_ID, '00000000-0000-0000-0000-000000000000');
  return found;
}
