from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

# Users are searched from autocomplete fields (leads, managers), which needs search_fields on the user admin.
admin.site.unregister(User)


@admin.register(User)
class ChangeProgUserAdmin(UserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]
