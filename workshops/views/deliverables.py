"""What a workshop asks the sites to deliver: adding and changing a deliverable (coordinators)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from pilots.scoping import CoordinatorRequiredMixin, RestrictedObjectMixin

from ..forms import DeliverableForm
from ..models import Deliverable, Workshop


class DeliverableCreateView(CoordinatorRequiredMixin, CreateView):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "workshops/form.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(
            Workshop.objects.restrict(self.request.user).select_related("programme"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workshop": self.workshop}

    def get_initial(self):
        # A week before the workshop, at the end of the working day.
        due = timezone.localtime(self.workshop.starts_at) - timezone.timedelta(days=7)
        return {"due_at": due.replace(hour=17, minute=0, second=0, microsecond=0)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("New deliverable before %(title)s") % {"title": self.workshop},
            back=self.workshop,
            **kwargs,
        )

    def get_success_url(self):
        messages.success(self.request, _("The deliverable is saved."))
        return self.workshop.get_absolute_url()


class DeliverableUpdateView(CoordinatorRequiredMixin, RestrictedObjectMixin, UpdateView):
    model = Deliverable
    form_class = DeliverableForm
    template_name = "workshops/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "workshop": self.object.workshop}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit deliverable %(title)s") % {"title": self.object},
            back=self.object.workshop,
            **kwargs,
        )

    def get_success_url(self):
        messages.success(self.request, _("The deliverable is saved."))
        return self.object.workshop.get_absolute_url()
