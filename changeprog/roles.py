"""The roles as groups of model permissions, kept in one place so each app's migration can extend them.

Object-level rules (a contributor edits only their own items) live in each app's access module; these
permissions are the model-level ceiling those rules work within.
"""

PROGRAMME_OFFICE = "Programme Office"
CONTRIBUTOR = "Contributor"
VIEWER = "Viewer"


def grant(apps, grants: dict[str, dict[str, list[str]]]):
    """Give each group its permissions: {group: {app_label: ["add_model", ...]}}. Safe to run twice."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run; make them now so they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Permissions not found for {app_label}: {sorted(missing)}")
            group.permissions.add(*permissions)
