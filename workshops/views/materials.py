"""A workshop's materials: uploading and removing them (coordinators), and downloading them
(everyone invited)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, TemplateView, View

from infra.uploads import serve_file
from pilots.scoping import CoordinatorRequiredMixin

from ..forms import MaterialForm
from ..models import Material, Workshop


class MaterialCreateView(CoordinatorRequiredMixin, CreateView):
    model = Material
    form_class = MaterialForm
    template_name = "workshops/form.html"

    @cached_property
    def workshop(self):
        return get_object_or_404(Workshop.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Add material to %(title)s") % {"title": self.workshop},
            back=self.workshop,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        form.instance.workshop = self.workshop
        form.instance.uploaded_by = self.request.user
        form.instance.original_name = upload.name[-255:]
        form.instance.size = upload.size
        form.save()
        messages.success(self.request, _("The material is uploaded."))
        return redirect(self.workshop)


class MaterialDownloadView(View):
    """A workshop's material, for the people invited to it and for coordinators."""

    def get(self, request, pk):
        material = get_object_or_404(Material.objects.restrict(request.user), pk=pk)
        return serve_file(material.file, material.original_name)


class MaterialDeleteView(CoordinatorRequiredMixin, TemplateView):
    template_name = "workshops/confirm.html"

    @cached_property
    def material(self):
        return get_object_or_404(
            Material.objects.restrict(self.request.user).select_related("workshop"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        material = self.material
        return super().get_context_data(
            heading=_("Remove material"),
            question=_(
                "Remove “%(title)s” from the workshop? Participants can no longer download it."
            )
            % {"title": material.title},
            button=_("Remove material"),
            button_class="btn-danger",
            back=material.workshop,
            **kwargs,
        )

    def post(self, request, pk):
        material = self.material
        workshop = material.workshop
        material.file.delete(save=False)
        material.delete()
        messages.success(request, _("The material is removed."))
        return redirect(workshop)
