from django.contrib import admin

from staffroom.profiles.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ("handle", "domain", "display_name", "is_locked", "is_discoverable")
    list_filter = ("is_locked", "is_discoverable")
    search_fields = ("handle", "display_name", "domain")
    readonly_fields = ("id", "uri", "user", "handle", "domain", "created_at")
