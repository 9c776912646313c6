import { parseEntityRef, type UserEntity } from '@backstage/catalog-model';

export interface CommitAuthor {
  name: string;
  email: string;
}

/**
 * The signed-in user as a git author: profile display name and e-mail from
 * the user entity, else the name of the user's entity ref, else the
 * configured fallback.
 */
export function commitAuthorOf(
  user: { entity?: UserEntity; ref?: string } | undefined,
  fallback: CommitAuthor,
): CommitAuthor {
  const profile = user?.entity?.spec?.profile;
  const refName = user?.ref ? parseEntityRef(user.ref).name : undefined;
  return {
    name:
      profile?.displayName ||
      user?.entity?.metadata.name ||
      refName ||
      fallback.name,
    email: profile?.email || fallback.email,
  };
}
