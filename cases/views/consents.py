"""Withdrawing consent to share: consent given to share with one actor is withdrawn by the
child or guardian; staff record when, and which staff role received it. The case's history
keeps the entry. Like every case page, it carries the "shows case data" mark (CasePageMixin)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .. import services
from ..forms import ConsentWithdrawalForm
from .mixins import CaseObjectMixin


class ConsentWithdrawView(CaseObjectMixin, TemplateView):
    template_name = "cases/consent_withdraw.html"

    @cached_property
    def consent(self):
        """The consent, through the case (so through the site), once the role allows the page."""
        return get_object_or_404(self.case.consents, pk=self.kwargs["consent_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(consent=self.consent, **kwargs)

    def not_given(self):
        messages.info(
            self.request,
            _("Only consent that was given can be withdrawn. Change the answer in the case."),
        )
        return redirect(self.case)

    def get(self, request, *args, **kwargs):
        if not self.consent.can_be_withdrawn:
            return self.not_given()
        form = ConsentWithdrawalForm(instance=self.consent)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        if not self.consent.can_be_withdrawn:
            return self.not_given()
        form = ConsentWithdrawalForm(request.POST, instance=self.consent)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        services.withdraw_consent(
            self.consent,
            on=data["withdrawn_on"],
            role=data["withdrawn_by_role"],
            by=request.user,
        )
        messages.success(
            request,
            _("Consent to share with %(actor)s is recorded as withdrawn.")
            % {"actor": self.consent.get_actor_display().lower()},
        )
        return redirect(self.case)
