declare const brand: unique symbol;

/** A nominal type: a `Brand<string, 'TenantId'>` is a string that cannot be swapped for another id. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type TenantId = Brand<string, 'TenantId'>;
export type ApiKeyId = Brand<string, 'ApiKeyId'>;
export type AdminPrincipalId = Brand<string, 'AdminPrincipalId'>;
export type ProviderId = Brand<string, 'ProviderId'>;
export type CredentialId = Brand<string, 'CredentialId'>;
export type ModelId = Brand<string, 'ModelId'>;
export type DeploymentId = Brand<string, 'DeploymentId'>;
export type RequestId = Brand<string, 'RequestId'>;
