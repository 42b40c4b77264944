"""The site's URLs. Page paths are Indonesian, the default language."""

from django.contrib import admin
from django.urls import include, path

from jembatan.api.urls import api
from jembatan.insights.views import home

urlpatterns = [
    path("", home, name="home"),
    path("akun/", include("jembatan.accounts.urls")),
    path("peserta/", include("jembatan.participants.urls")),
    path("organisasi/", include("jembatan.organisations.urls")),
    path("daftar-lpk/", include("jembatan.organisations.register_urls")),
    path("dokumen/", include("jembatan.documents.urls")),
    path("data-pribadi/", include("jembatan.privacy.urls")),
    path("impor/", include("jembatan.participants.import_urls")),
    path("permintaan/", include("jembatan.demand.urls")),
    path("lowongan/", include("jembatan.demand.public_urls")),
    path("", include("jembatan.insights.urls")),
    path("pelatihan/", include("jembatan.training.urls")),
    path("verifikasi/", include("jembatan.training.verify_urls")),
    path("seleksi/", include("jembatan.selection.urls")),
    path("pencocokan/", include("jembatan.matching.urls")),
    path("keberangkatan/", include("jembatan.deployment.urls")),
    path("lapor/", include("jembatan.protection.public_urls")),
    path("perlindungan/risiko/", include("jembatan.protection.risk_urls")),
    path("perlindungan/", include("jembatan.protection.urls")),
    path("", include("jembatan.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
