from django.urls import path

from . import views

app_name = "learners"

urlpatterns = [
    path("accounts/signup/", views.SignUpView.as_view(), name="signup"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("me/", views.dashboard, name="dashboard"),
    path("me/settings/", views.settings_view, name="settings"),
    path("me/export/", views.export_data, name="export"),
    path("me/cohorts/join/", views.join_cohort, name="join_cohort_by_code"),
    path("me/cohorts/join/<str:code>/", views.join_cohort, name="join_cohort"),
    path("me/cohorts/<int:pk>/leave/", views.leave_cohort, name="leave_cohort"),
    path("me/delete/", views.delete_account_view, name="delete_account"),
]
