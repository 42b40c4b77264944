from django.urls import path

from jembatan.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "kata-sandi/lupa/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konfirmasi/", views.confirm_password, name="confirm_password"),
    path("terkunci/", views.lockouts, name="lockouts"),
    path("bahasa/", views.set_language, name="set_language"),
    path("dua-langkah/", two_factor_views.two_factor, name="two_factor"),
    path("dua-langkah/kode/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/pasang/", two_factor_views.two_factor_setup, name="two_factor_enrol"),
    path(
        "dua-langkah/kode-cadangan/",
        two_factor_views.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path("dua-langkah/matikan/", two_factor_views.two_factor_off, name="two_factor_off"),
    path("pengguna/", two_factor_views.accounts, name="accounts"),
    path("pengguna/<int:pk>/", two_factor_views.account, name="account"),
]
