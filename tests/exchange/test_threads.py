from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchange.models import Follow, HelpfulMark, Post, Thread
from exchange.rendering import render_markdown
from tests.cases.factories import CaseFactory, PracticalTestFactory, VignetteFactory

from .factories import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

PNR = "640823-3234"


class _Tags(HTMLParser):
    """Every start tag with its attributes, to check what a browser would run."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def site_url(name, site, **kwargs):
    return reverse(f"exchange:site_{name}", kwargs={"site_slug": site.slug, **kwargs})


def test_members_of_two_sites_hold_a_thread_about_a_practical_test(
    client_for, site_a, member_a, member_b
):
    test = PracticalTestFactory(site=site_a, study_results="Snabbare än väntat.")
    case = CaseFactory(site=site_a, practical_test=test, code="AAA-2018-042")
    client = client_for(member_a)
    response = client.post(
        reverse("exchange:thread_create"),
        {
            "title": "Samtycke tidigt?",
            "body": "Vi testade **samtycke** tidigt.",
            "practical_test": test.pk,
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and thread.site is None
    assert thread.practical_test == test

    client = client_for(member_b)
    page = client.get(thread.get_absolute_url()).content.decode()
    # The test's plan and results are shown; its cases never are.
    assert test.change_idea in page and "Snabbare än väntat." in page
    assert case.code not in page
    assert (
        reverse("cases:case_detail", kwargs={"site_slug": site_a.slug, "pk": case.pk}) not in page
    )
    client.post(
        reverse("exchange:thread_reply", kwargs={"pk": thread.pk}), {"body": "Vi gör likadant!"}
    )
    reply = Post.objects.get(author=member_b)
    assert Follow.objects.filter(thread=thread, user__in=[member_a, member_b]).count() == 2

    client = client_for(member_a)
    client.post(reverse("exchange:post_helpful", kwargs={"pk": thread.pk, "post_pk": reply.pk}))
    assert HelpfulMark.objects.filter(post=reply, user=member_a).exists()
    assert "1 tyckte att det hjälpte" in client.get(thread.get_absolute_url()).content.decode()


def test_thread_subject_choices_are_narrowed_to_what_the_person_may_see(
    client_for, site_a, site_b, member_a
):
    own, other = PracticalTestFactory(site=site_a), PracticalTestFactory(site=site_b)
    other_vignette = VignetteFactory(site=site_b)
    client = client_for(member_a)
    page = client.get(reverse("exchange:thread_create")).content.decode()
    assert own.title in page and other.title not in page and other_vignette.title not in page
    for field, obj in (("practical_test", other), ("vignette", other_vignette)):
        response = client.post(
            reverse("exchange:thread_create"), {"title": "Fråga", "body": "Text", field: obj.pk}
        )
        assert response.status_code == 200
    assert not Thread.objects.exists()


def test_script_and_event_handlers_in_a_post_are_neutralised(client_for, site_a, member_a):
    body = (
        "<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[klick](javascript:alert(1)) och [länk](https://example.org)"
    )
    client = client_for(member_a)
    client.post(reverse("exchange:thread_create"), {"title": "Test", "body": body})
    thread = Thread.objects.get()
    page = client.get(thread.get_absolute_url()).content.decode()
    post_html = page.split('class="post-body">', 1)[1].split("</div>", 1)[0]
    found = tags(post_html)
    assert not [t for t, _ in found if t in ("script", "img", "iframe")]
    assert not [a for _, attrs in found for a in attrs if a.startswith("on")]
    links = [attrs for t, attrs in found if t == "a"]
    assert links == [{"href": "https://example.org", "rel": "nofollow noopener"}]


def test_raw_html_is_shown_as_text_and_markdown_links_get_nofollow():
    html = str(
        render_markdown('<b onclick="x()">fet</b> [a](https://e.org "t") [b](data:text/html,x)')
    )
    found = tags(html)
    assert [t for t, _ in found] == ["p", "a"]
    assert found[1][1] == {"href": "https://e.org", "title": "t", "rel": "nofollow noopener"}
    assert "&lt;b onclick" in html  # typed HTML is shown, never run


def test_a_personal_identity_number_in_a_post_is_refused_with_the_swedish_message(
    client_for, member_a
):
    client = client_for(member_a)
    response = client.post(
        reverse("exchange:thread_create"), {"title": "Fråga", "body": f"Eleven {PNR} behöver stöd"}
    )
    assert "Ta bort personnumret eller samordningsnumret" in response.content.decode()
    assert not Thread.objects.exists()
    thread = PostFactory(thread__site=None).thread
    response = client.post(
        reverse("exchange:thread_reply", kwargs={"pk": thread.pk}), {"body": f"Nr {PNR}"}
    )
    assert response.status_code == 200
    assert "Ta bort personnumret eller samordningsnumret" in response.content.decode()
    assert thread.posts.count() == 1


def test_site_thread_is_read_only_within_its_site(
    client_for, site_a, lead_a, member_a, member_b, coordinator
):
    client = client_for(member_a)
    client.post(site_url("thread_create", site_a), {"title": "Internt", "body": "Bara för oss"})
    thread = Thread.objects.get()
    assert thread.site == site_a
    assert client_for(coordinator).get(thread.get_absolute_url()).status_code == 200
    assert client_for(lead_a).get(thread.get_absolute_url()).status_code == 200
    assert client_for(member_b).get(thread.get_absolute_url()).status_code == 404
    # Not through the programme pages, nor through another site.
    assert (
        client_for(member_a)
        .get(reverse("exchange:thread_detail", kwargs={"pk": thread.pk}))
        .status_code
        == 404
    )
    assert (
        "Internt" not in client_for(member_b).get(reverse("exchange:thread_list")).content.decode()
    )


def test_reply_to_another_sites_thread_through_own_site_is_404(
    client_for, site_a, site_b, member_a
):
    thread = PostFactory(thread__site=site_b).thread
    response = client_for(member_a).post(
        site_url("thread_reply", site_a, pk=thread.pk), {"body": "Hej"}
    )
    assert response.status_code == 404
    assert thread.posts.count() == 1


def test_coordinator_hides_a_post_and_its_author_sees_why(
    client_for, coordinator, member_a, member_b
):
    post = PostFactory(thread__site=None, author=member_a, body="Något olämpligt")
    response = client_for(coordinator).post(
        reverse("exchange:post_hide", kwargs={"pk": post.pk}), {"hidden_reason": "Håll en god ton."}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by == coordinator
    author_page = client_for(member_a).get(post.thread.get_absolute_url()).content.decode()
    assert "Håll en god ton." in author_page and "Något olämpligt" in author_page
    other_page = client_for(member_b).get(post.thread.get_absolute_url()).content.decode()
    assert "Något olämpligt" not in other_page and "Håll en god ton." not in other_page
    client_for(coordinator).post(
        reverse("exchange:post_hide", kwargs={"pk": post.pk}), {"show": "1"}
    )
    post.refresh_from_db()
    assert not post.is_hidden


def test_nobody_but_a_coordinator_hides_a_post(client_for, lead_a, member_a):
    post = PostFactory(thread__site=None, author=member_a)
    response = client_for(lead_a).post(
        reverse("exchange:post_hide", kwargs={"pk": post.pk}), {"hidden_reason": "Nej"}
    )
    assert response.status_code == 403


def test_follow_is_a_toggle(client_for, member_a):
    thread = ThreadFactory()
    url = reverse("exchange:thread_follow", kwargs={"pk": thread.pk})
    client = client_for(member_a)
    client.post(url)
    assert thread.is_followed_by(member_a)
    client.post(url)
    assert not thread.is_followed_by(member_a)


def test_thread_list_queries_stay_bounded(
    client_for, site_a, member_a, django_assert_max_num_queries
):
    client = client_for(member_a)
    test = PracticalTestFactory(site=site_a)
    PostFactory.create_batch(2, thread__site=None, thread__practical_test=test)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("exchange:thread_list"))
    PostFactory.create_batch(10, thread__site=None, thread__practical_test=test)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exchange:thread_list"))


def test_thread_page_queries_stay_bounded(client_for, member_a, django_assert_max_num_queries):
    thread = PostFactory(thread__site=None).thread
    client = client_for(member_a)
    with django_assert_max_num_queries(20) as few:
        client.get(thread.get_absolute_url())
    for _ in range(10):
        HelpfulMark.objects.create(post=PostFactory(thread=thread), user=member_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(thread.get_absolute_url())
