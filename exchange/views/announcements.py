"""The information channel: each person's inbox of announcements, reading one (which marks it
read), and the coordinators' writing of them."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, ListView, TemplateView, UpdateView, View

from pilots.scoping import CoordinatorRequiredMixin, RestrictedObjectMixin

from .. import tasks
from ..forms import AnnouncementForm
from ..models import Announcement, AnnouncementRead


def _with_read(queryset, user):
    return queryset.annotate(
        is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user))
    )


class InboxView(ListView):
    """Every announcement that reaches the person, pinned first, unread marked."""

    template_name = "exchange/inbox.html"
    context_object_name = "announcements"
    paginate_by = 20

    def get_queryset(self):
        user = self.request.user
        items = Announcement.objects.restrict(user)
        return _with_read(items, user).select_related("created_by").prefetch_related("sites")


class AnnouncementDetailView(TemplateView):
    template_name = "exchange/announcement_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        items = Announcement.objects.restrict(user).select_related("created_by")
        announcement = get_object_or_404(items, pk=self.kwargs["pk"])
        announcement.mark_read(user)
        return super().get_context_data(announcement=announcement, **kwargs)


class MarkAllReadView(View):
    def post(self, request):
        user = request.user
        unread = Announcement.objects.restrict(user).published().exclude(reads__user=user)
        AnnouncementRead.objects.bulk_create(
            [AnnouncementRead(announcement=a, user=user) for a in unread],
            ignore_conflicts=True,
        )
        messages.success(request, _("Every announcement is marked as read."))
        return redirect("exchange:inbox")


class AnnouncementCreateView(CoordinatorRequiredMixin, CreateView):
    model = Announcement
    form_class = AnnouncementForm
    template_name = "exchange/form.html"
    extra_context = {"heading": gettext_lazy("New announcement")}

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        response = super().form_valid(form)
        tasks.publish(self.object)
        if self.object.send_email:
            messages.success(
                self.request, _("The announcement is published and is being e-mailed.")
            )
        else:
            messages.success(self.request, _("The announcement is published."))
        return response


class AnnouncementUpdateView(CoordinatorRequiredMixin, RestrictedObjectMixin, UpdateView):
    model = Announcement
    form_class = AnnouncementForm
    template_name = "exchange/form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Edit the announcement"), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        # People it newly reaches (or everyone, if e-mail was just turned on) get it once.
        tasks.publish(self.object)
        messages.success(self.request, _("The announcement is saved."))
        return response
