"""What Triad processes (personuppgiftsbehandling): a page for everyone, signed in or not,
linked from every footer; the coordinators keep its text up to date. The retention it states
is read from where the retention job reads it (pilots/processing.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, UpdateView

from ..forms.processing import ProcessingStatementForm
from ..models import ProcessingStatement
from ..processing import retention_for
from ..scoping import CoordinatorRequiredMixin
from .sites import FormPageMixin


@method_decorator(login_not_required, name="dispatch")
class ProcessingView(TemplateView):
    """Public: a person reads what happens to their data before they sign in."""

    template_name = "pilots/processing.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statement=ProcessingStatement.current(),
            retention=retention_for(self.request.user),
            **kwargs,
        )


class ProcessingEditView(CoordinatorRequiredMixin, FormPageMixin, UpdateView):
    form_class = ProcessingStatementForm
    page_title = gettext_lazy("Edit what Triad processes")
    submit_label = gettext_lazy("Save the statement")
    intro = gettext_lazy(
        "The retention of cases and of the access record is not written here: the page shows "
        "each programme's period and the settings the retention job uses."
    )

    def get_object(self, queryset=None):
        return ProcessingStatement.current()

    def form_valid(self, form):
        form.instance.updated_at = timezone.now()
        form.instance.updated_by = self.request.user
        messages.success(self.request, _("The statement is saved."))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("pilots:processing")
