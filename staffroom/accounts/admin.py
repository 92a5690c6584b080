"""Administration of accounts: approving sign-ups, joining rules, invitations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from staffroom.accounts.models import Invite, SiteConfiguration, User
from staffroom.accounts.services import account_approve, account_reject


def _staff_user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("email", "handle", "approval", "email_verified_at", "is_staff", "date_joined")
    list_filter = ("approval", "is_staff", "is_active")
    search_fields = ("email", "profile__handle")
    ordering = ("-date_joined",)
    readonly_fields = ("password", "last_login", "date_joined", "signup_reason")
    exclude = ("user_permissions",)
    actions = ("approve_selected", "reject_selected")

    @admin.display(description=_("handle"))
    def handle(self, user: User) -> str:
        profile = getattr(user, "profile", None)
        return f"@{profile.handle}" if profile else "-"

    @admin.action(description=_("Approve the selected sign-ups"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = _staff_user(request)
        for user in queryset.filter(approval="pending"):
            account_approve(user=user, actor=actor)
        messages.success(request, _("The selected sign-ups are approved."))

    @admin.action(description=_("Reject the selected sign-ups"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = _staff_user(request)
        for user in queryset.filter(approval="pending"):
            account_reject(user=user, actor=actor)
        messages.success(request, _("The selected sign-ups are rejected."))


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(admin.ModelAdmin[SiteConfiguration]):
    list_display = (
        "__str__",
        "registration_mode",
        "require_email_verification",
        "require_media_description",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteConfiguration.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin[Invite]):
    list_display = ("code", "note", "uses", "max_uses", "expires_at", "created_by")
    readonly_fields = ("uses", "created_by")

    def save_model(self, request: HttpRequest, obj: Invite, form: object, change: bool) -> None:
        if not change and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
