"""The experience exchange: threads programme-wide (/exchange/threads/…) and within a site
(/sites/<site_slug>/exchange/…), replies, following, helpful marks and moderation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from cases.summaries import test_figures
from infra.kept import KeptBodyMixin
from pilots.scoping import CoordinatorRequiredMixin, access_at

from .. import services
from ..forms import HideForm, ReplyForm, ThreadForm
from ..models import Follow, HelpfulMark, Post, Thread
from .access import SiteOrProgrammeMixin


class ThreadListView(SiteOrProgrammeMixin, ListView):
    template_name = "exchange/thread_list.html"
    context_object_name = "threads"
    paginate_by = 25

    def get_queryset(self):
        threads = self.here(Thread)
        return (
            threads.select_related(
                "created_by", "site", "workshop", "practical_test__site", "vignette"
            )
            .annotate(
                post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True)),
                followed=Exists(
                    Follow.objects.filter(thread=OuterRef("pk"), user=self.request.user)
                ),
            )
            .order_by("-last_post_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(create_url=self.url("thread_create"), **kwargs)


class ThreadCreateView(SiteOrProgrammeMixin, FormView):
    form_class = ThreadForm
    template_name = "exchange/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "site": self.site}

    def get_context_data(self, **kwargs):
        heading = (
            _("New thread at %(site)s") % {"site": self.site.name}
            if self.site
            else _("New thread for every site")
        )
        return super().get_context_data(heading=heading, back_url=self.url("thread_list"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        thread = services.start_thread(
            site=self.site,
            title=data["title"],
            body=data["body"],
            author=self.request.user,
            workshop=data["workshop"],
            practical_test=data["practical_test"],
            vignette=data["vignette"],
        )
        messages.success(self.request, _("The thread is started. You follow it."))
        return redirect(thread.get_absolute_url())


class ThreadObjectMixin(SiteOrProgrammeMixin):
    """Loads `self.thread` within the page's scope: a site's thread only through that site,
    a programme thread only through the programme pages."""

    def get_thread(self):
        if not hasattr(self, "thread"):
            threads = self.here(Thread)
            # Only its site beside it: what it is about is read when its page is drawn, which
            # is seldom (it is kept), and planning the five joins cost more than the page.
            self.thread = get_object_or_404(threads.select_related("site"), pk=self.kwargs["pk"])
        return self.thread


class ThreadDetailView(ThreadObjectMixin, KeptBodyMixin, TemplateView):
    """A thread's posts and the reply form, drawn once per reader and kept until the
    programme's data changes (infra/kept.py)."""

    template_name = "exchange/thread_detail.html"
    body_template = "exchange/includes/thread_body.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("reply_form", ReplyForm())
        return super().get_context_data(thread=self.get_thread(), **kwargs)

    def body_context(self):
        thread = self.get_thread()
        user = self.request.user
        posts = list(
            thread.posts.select_related("author", "hidden_by").annotate(
                helpful_count=Count("helpful_marks"),
                marked_helpful=Exists(HelpfulMark.objects.filter(post=OuterRef("pk"), user=user)),
            )
        )
        test = thread.practical_test
        return {
            "posts": posts,
            "followed": thread.is_followed_by(user),
            # A test's plan and its results as counts, small ones hidden unless the reader may
            # see the test's cases; its cases are never listed here.
            "test_summary": test_figures(test, viewer=access_at(user, test.site)) if test else None,
        }


class ReplyView(ThreadObjectMixin, View):
    def post(self, request, **kwargs):
        thread = self.get_thread()
        form = ReplyForm(request.POST)
        if not form.is_valid():
            view = ThreadDetailView()
            view.setup(request, **kwargs)
            view.site, view.access, view.thread = self.site, self.access, thread
            return view.render_to_response(view.get_context_data(reply_form=form))
        services.add_post(thread, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Your reply is posted."))
        return redirect(thread.get_absolute_url())


class FollowView(ThreadObjectMixin, View):
    """Follow or stop following the thread (a toggle)."""

    def post(self, request, **kwargs):
        thread = self.get_thread()
        if thread.is_followed_by(request.user):
            thread.unfollow(request.user)
            messages.success(request, _("You no longer follow the thread."))
        else:
            thread.follow(request.user)
            messages.success(request, _("You follow the thread: new posts come in your digest."))
        return redirect(thread.get_absolute_url())


class HelpfulView(ThreadObjectMixin, View):
    """Mark a reply as helpful, or take the mark back. Not one's own, not the opening post."""

    def post(self, request, **kwargs):
        thread = self.get_thread()
        post = get_object_or_404(thread.posts, pk=kwargs["post_pk"], hidden_at__isnull=True)
        if post.author_id == request.user.pk:
            raise PermissionDenied
        mark = HelpfulMark.objects.filter(post=post, user=request.user)
        if mark.exists():
            mark.delete()
        else:
            HelpfulMark.objects.create(post=post, user=request.user)
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")


class HideView(CoordinatorRequiredMixin, FormView):
    """A coordinator hides a post (with a reason its author sees) or shows it again."""

    form_class = HideForm
    template_name = "exchange/form.html"

    @cached_property
    def post_obj(self):
        threads = Thread.objects.restrict(self.request.user)
        return get_object_or_404(
            Post.objects.filter(thread__in=threads).select_related("thread__site"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.post_obj}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Hide a post in “%(thread)s”") % {"thread": self.post_obj.thread},
            back_url=self.post_obj.thread.get_absolute_url(),
            post_obj=self.post_obj,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "show" in request.POST:
            if not self.post_obj.is_hidden:
                raise Http404
            self.post_obj.unhide()
            messages.success(request, _("The post is shown again."))
            return redirect(self.post_obj.thread.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.post_obj.hide(by=self.request.user, reason=form.cleaned_data["hidden_reason"])
        messages.success(self.request, _("The post is hidden. Its author sees why."))
        return redirect(self.post_obj.thread.get_absolute_url())
