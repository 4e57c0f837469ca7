from django.contrib import admin

from .models import Invitation

admin.site.register(Invitation)
