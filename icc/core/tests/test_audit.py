import pytest

from icc.core.models import AuditEntry, AuditKind, record
from icc.programmes.models import Programme


def test_an_entry_is_stored_with_the_code_of_its_kind_and_shown_in_words(programme: Programme) -> None:
    entry = record(obj=programme, action=AuditKind.DATES_CHANGED)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "dates_changed"
    assert stored.get_action_display() == "Dates changed"


def test_a_kind_outside_the_closed_set_is_refused_and_nothing_is_written(programme: Programme) -> None:
    with pytest.raises(ValueError, match="not a valid AuditKind"):
        record(obj=programme, action="something happened")  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()
