"""The Django admin shows no second-factor devices: they hold secrets, and resets are audited.

django-otp registers its device models; an administrator resets someone's second
factor in Jembatan's own page instead (``/akun/pengguna/<id>/``, audited).
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
