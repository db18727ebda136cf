"""The forms of the toolbox: sharing an item, a new version of a file, and searching."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.core.params import ModelIdsField
from icc.journey.models import EventType
from icc.library import access
from icc.library.models import URL_LENGTH, Audience, Form, Item, Kind
from icc.programmes.models import Phase, Programme, Theme
from icc.public.languages import CONTENT_LANGUAGE_CHOICES

SEARCH_LENGTH = 200


class ItemForm(forms.ModelForm):
    upload = forms.FileField(label=gettext_lazy("File"), required=False)
    url = forms.URLField(label=gettext_lazy("Address"), required=False, max_length=URL_LENGTH, assume_scheme="https")

    class Meta:
        model = Item
        fields = [
            "title",
            "kind",
            "form",
            "summary",
            "url",
            "body",
            "themes",
            "phase",
            "language",
            "event_types",
            "audience",
            "audience_theme",
            "audience_tag",
            "audience_city",
        ]
        labels = {
            "audience_theme": gettext_lazy("Theme"),
            "audience_tag": gettext_lazy("TAG"),
            "audience_city": gettext_lazy("City"),
        }
        field_classes = {"themes": ModelIdsField, "event_types": ModelIdsField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "themes": forms.CheckboxSelectMultiple,
            "event_types": forms.CheckboxSelectMultiple,
            "form": forms.RadioSelect,
            "audience": forms.RadioSelect,
        }

    def __init__(self, *args: Any, programme: Programme, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        kinds = access.kinds_for(person, programme)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (value, label) for value, label in Kind.choices if value in kinds
        ]
        cast(forms.ModelChoiceField, self.fields["themes"]).queryset = Theme.objects.filter(programme=programme)
        cast(forms.ModelChoiceField, self.fields["phase"]).queryset = Phase.objects.filter(programme=programme)
        cast(forms.ModelChoiceField, self.fields["event_types"]).queryset = EventType.objects.filter(
            programme=programme
        )
        reach = access.audiences_for(person, programme)
        cast(forms.ModelChoiceField, self.fields["audience_theme"]).queryset = reach["themes"]
        cast(forms.ModelChoiceField, self.fields["audience_tag"]).queryset = reach["tags"]
        cast(forms.ModelChoiceField, self.fields["audience_city"]).queryset = reach["cities"]
        cast(forms.ChoiceField, self.fields["language"]).choices = CONTENT_LANGUAGE_CHOICES
        cast(forms.ChoiceField, self.fields["form"]).choices = Form.choices
        cast(forms.ChoiceField, self.fields["audience"]).choices = Audience.choices
        cast(forms.ModelChoiceField, self.fields["phase"]).empty_label = _("Any phase")
        for name in ("audience_theme", "audience_tag", "audience_city"):
            cast(forms.ModelChoiceField, self.fields[name]).empty_label = _("Choose…")
        self.fields["form"].initial = Form.FILE
        if self.instance.pk is not None:
            # What an item is stays what it was; a file's content changes by a new version.
            for name in ("kind", "form", "upload"):
                del self.fields[name]
            # Only the field of what the item is: a link's address, a page's text.
            for name, form in (("url", Form.LINK), ("body", Form.PAGE)):
                if self.instance.form != form:
                    del self.fields[name]
        self.fields["audience"].initial = Audience.PROGRAMME

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form = data.get("form", self.instance.form if self.instance.pk else None)
        if form == Form.LINK and not data.get("url"):
            self.add_error("url", _("Give the address the link goes to."))
        if form == Form.PAGE and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the page."))
        if form == Form.FILE and not data.get("upload") and self.instance.pk is None:
            self.add_error("upload", _("Choose the file to share."))
        if form != Form.LINK:
            data["url"] = ""
        if form != Form.PAGE:
            data["body"] = ""
        audience = data.get("audience")
        targets = {Audience.THEME: "audience_theme", Audience.TAG: "audience_tag", Audience.CITY: "audience_city"}
        for kind, field in targets.items():
            if audience == kind and not data.get(field):
                self.add_error(field, _("Choose whom to share it with."))
            elif audience != kind:
                data[field] = None
        return data


class VersionForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("New version"))
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=300, required=False)


class SearchForm(forms.Form):
    """The toolbox's search box and facets; anything out of range is simply ignored."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        max_length=SEARCH_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    theme = forms.TypedChoiceField(label=gettext_lazy("Theme"), coerce=int, required=False, empty_value=None)
    phase = forms.TypedChoiceField(label=gettext_lazy("Phase"), coerce=int, required=False, empty_value=None)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    new = forms.BooleanField(label=gettext_lazy("New since my last visit"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["kind"]).choices = every + list(Kind.choices)
        cast(forms.ChoiceField, self.fields["theme"]).choices = every + [
            (t.pk, t.name) for t in Theme.objects.filter(programme=programme)
        ]
        cast(forms.ChoiceField, self.fields["phase"]).choices = every + [
            (p.pk, p.name) for p in Phase.objects.filter(programme=programme)
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = every + CONTENT_LANGUAGE_CHOICES
