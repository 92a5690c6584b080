from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import path

from staffroom.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup", views.signup, name="signup"),
    path("accounts/signup/done", views.signup_done, name="signup-done"),
    path("accounts/verify/<str:token>", views.verify_email, name="verify-email"),
    path("accounts/verify-resend", views.resend_verification, name="verification-resend"),
    path("accounts/login", views.SignInView.as_view(), name="login"),
    path("accounts/logout", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path(
        "settings/password",
        login_required(views.PasswordChangeView.as_view()),
        name="password-change",
    ),
    path("settings", views.settings_account, name="settings"),
]
