from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import path

from staffroom.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("signup/done", views.signup_done, name="signup-done"),
    path("verify/<str:token>", views.verify_email, name="verify-email"),
    path("verify-resend", views.resend_verification, name="verification-resend"),
    path("login", views.SignInView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete",
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
