"""What the test provider says of a person: the standard claims, and a groups claim (as Entra ID can)."""

import os

from oidc_provider.lib.claims import ScopeClaims


def groups_of(username: str) -> list[str]:
    # OP_GROUPS: "username=group,group;other=group"
    for entry in filter(None, os.environ.get("OP_GROUPS", "").split(";")):
        name, _, groups = entry.partition("=")
        if name == username:
            return [g for g in groups.split(",") if g]
    return []


def userinfo(claims, user):
    claims.update(
        {
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": user.get_full_name(),
            "email": user.email,
            "preferred_username": user.username,
        }
    )
    return claims


class GroupClaims(ScopeClaims):
    info_groups = ("Groups", "The groups you belong to.")

    def scope_groups(self):
        return {"groups": groups_of(self.user.username)}
