"""Forms of the knowledge pages; choices are always limited to the current tenant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role

from .models import Announcement, Article, Category, Idea


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=Article._meta.get_field("body").help_text,
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Article.Audience.choices)
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles (when the audience is “Chosen roles”)"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Reminded when the article needs a review."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)
    mark_reviewed = forms.BooleanField(
        label=_("I reviewed this article (resets its review date)"),
        required=False,
        initial=True,
    )
    note = forms.CharField(label=_("What changed?"), max_length=200, required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_tenant(tenant)
        self.fields["roles"].queryset = Role.objects.for_tenant(tenant)
        self.fields["owner"].queryset = (
            Membership.objects.for_tenant(tenant).active().staff().select_related("user")
        )
        self.fields["owner"].label_from_instance = lambda m: m.user.get_full_name()

    def clean(self):
        data = super().clean()
        if data.get("audience") == Article.Audience.ROLES and not data.get("roles"):
            self.add_error("roles", _("Choose at least one role for this audience."))
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("New category"), max_length=80)


class SettingsForm(forms.Form):
    stale_after_days = forms.IntegerField(
        label=_("Flag articles as stale after (days without review)"),
        min_value=1,
        max_value=3650,
    )


class ChecklistForm(forms.Form):
    due_within_days = forms.IntegerField(
        label=_("To complete within (days)"), min_value=1, max_value=365, initial=14
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Guides to read and acknowledge"),
        queryset=Article.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tenant, guides=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["articles"]
        field.queryset = Article.objects.for_tenant(tenant).filter(is_published=True)
        if guides is not None:
            # One list of guides shared by the forms of every role: one query for the page.
            field.choices = [(a.pk, a.title) for a in guides]


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown."),
    )
    audience = forms.ChoiceField(label=_("Send to"), choices=Announcement.Audience.choices)
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    send_email = forms.BooleanField(label=_("Also send by e-mail"), required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.for_tenant(tenant)

    def clean(self):
        data = super().clean()
        if data.get("audience") == Announcement.Audience.ROLES and not data.get("roles"):
            self.add_error("roles", _("Choose at least one role, or send it to everyone."))
        return data


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Your idea"), max_length=200)
    body = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Idea.Audience.choices,
        initial=Idea.Audience.STAFF,
        help_text=_("Staff only: customers never see the idea, its votes or its answer."),
    )

    def __init__(self, *args, for_staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_staff:  # a customer's idea is for everyone
            del self.fields["audience"]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)
    answer = forms.CharField(
        label=_("Answer"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, prefix_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id is not None:
            self.auto_id = f"id_idea{prefix_id}_%s"


class ThankForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=Membership.objects.none())
    message = forms.CharField(
        label=_("Your note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, tenant, exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agents = Membership.objects.for_tenant(tenant).active().staff().select_related("user")
        if exclude_user is not None:
            agents = agents.exclude(user=exclude_user)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda m: m.user.get_full_name()
