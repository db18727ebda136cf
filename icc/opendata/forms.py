"""The forms of the charter (its vision, a principle) and of a city's checklist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from icc.core import lengths
from icc.core.versioning import VersionField
from icc.opendata.models import URL_LENGTH, Charter, Principle, Status
from icc.opendata.summary import Summary


class VisionForm(forms.ModelForm[Charter]):
    class Meta:
        model = Charter
        fields = ["vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 6})}


class PrincipleForm(forms.ModelForm[Principle]):
    class Meta:
        model = Principle
        fields = ["title", "key", "order", "statement", "clause", "standards"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4}), "clause": forms.Textarea(attrs={"rows": 3})}


class ChecklistForm(forms.Form):
    """One status and its evidence for each principle of the charter's version."""

    version = VersionField()

    def __init__(self, *args: Any, summary: Summary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.summary = summary
        self.fields["version"].initial = summary.version
        for line in summary.lines:
            pk = line.principle.pk
            self.fields[f"status_{pk}"] = forms.ChoiceField(
                label=gettext_lazy("Status"), choices=Status.choices, initial=line.status, widget=forms.RadioSelect
            )
            self.fields[f"url_{pk}"] = forms.URLField(
                label=gettext_lazy("Evidence (link)"),
                required=False,
                max_length=URL_LENGTH,
                initial=line.evidence_url,
                assume_scheme="https",
            )
            self.fields[f"evidence_{pk}"] = forms.CharField(
                label=gettext_lazy("Evidence"),
                required=False,
                max_length=lengths.NOTE,
                initial=line.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def groups(self) -> list[tuple[Any, Any, Any, Any]]:
        """Each principle with its three fields, for the template."""
        return [
            (
                line,
                self[f"status_{line.principle.pk}"],
                self[f"url_{line.principle.pk}"],
                self[f"evidence_{line.principle.pk}"],
            )
            for line in self.summary.lines
        ]

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data["version"])
