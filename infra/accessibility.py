"""The accessibility statement (tillgänglighetsredogörelse): public, linked from every page's
footer, edited by the national coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from pilots.scoping import CoordinatorRequiredMixin

from .forms import AccessibilityStatementForm
from .models import AccessibilityStatement

# DIGG's form for reporting a lack of accessibility in a public actor's digital service.
DIGG_COMPLAINT_URL = "https://www.digg.se/tdosanmalan"


@method_decorator(login_not_required, name="dispatch")
class StatementView(TemplateView):
    template_name = "accessibility/statement.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statement=AccessibilityStatement.current(), digg_url=DIGG_COMPLAINT_URL, **kwargs
        )


class StatementEditView(CoordinatorRequiredMixin, FormView):
    form_class = AccessibilityStatementForm
    template_name = "pilots/form_page.html"
    extra_context = {
        "page_title": gettext_lazy("Edit the accessibility statement"),
        "submit_label": gettext_lazy("Save the statement"),
        "intro": gettext_lazy(
            "The statement is published in Swedish, as the law asks (lag 2018:1937). Say what "
            "is not accessible and why, and update the assessment date when you assess again."
        ),
    }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": AccessibilityStatement.current()}

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        return super().get_context_data(cancel_url=reverse("accessibility"), **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The accessibility statement is saved."))
        return redirect("accessibility")
