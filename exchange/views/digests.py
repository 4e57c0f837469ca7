from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ..forms import DigestForm
from ..models import DigestPreference


class DigestSettingsView(FormView):
    """How often the person gets the digest of the threads they follow."""

    form_class = DigestForm
    template_name = "exchange/digest_settings.html"

    def get_form_kwargs(self):
        preference = DigestPreference.objects.filter(user=self.request.user).first()
        return {
            **super().get_form_kwargs(),
            "instance": preference or DigestPreference(user=self.request.user),
        }

    def get_context_data(self, **kwargs):
        followed = self.request.user.followed_threads.select_related("thread__site").order_by(
            "-thread__last_post_at"
        )
        return super().get_context_data(followed=followed, **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your digest setting is saved."))
        return redirect("exchange:digest_settings")
