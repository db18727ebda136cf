"""Who may see and change a city's assessments: responses, the survey, indicator values, peers.

Every id a view gets from its URL or a form becomes an object here and nowhere else. The
city's own rules come first (:func:`icc.cities.access.get_city_for_user`): something a
person may not see, or that does not exist, is a 404; something they may see but not
change is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from icc.assessments import survey
from icc.assessments.actions import response_for
from icc.assessments.models import Instrument, InstrumentKind, Question, Response, ResponseStatus, Round, SatCampaign
from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.roles import is_lead_expert_of, is_programme_team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person
    from icc.cities.models import City

    Someone = Person | AnonymousUser


@dataclass(frozen=True)
class CityRound:
    """A city's assessment in one round: its indicator values, ratings and workbook."""

    city: City
    round: str

    @property
    def round_label(self) -> str:
        return str(Round(self.round).label)


@dataclass(frozen=True)
class SurveyRound:
    """A city's local-enablers survey in one round; ``campaign`` is None until it is opened."""

    city: City
    instrument: Instrument
    round: str
    campaign: SatCampaign | None


def may_reopen(person: Someone, city: City) -> bool:
    """Submitted answers and values are reopened by the city's lead expert or the programme team."""
    return is_lead_expert_of(person, city) or is_programme_team(person, city.programme)


def _round(round: str) -> str:
    if round not in Round.values:
        raise Http404
    return round


def _instrument(city: City, instrument_id: int) -> Instrument:
    """An instrument the city answers itself (the enablers survey is answered by its stakeholders)."""
    instrument = (
        Instrument.objects.filter(pk=instrument_id, programme_id=city.programme_id)
        .exclude(kind=InstrumentKind.ENABLERS)
        .first()
    )
    if instrument is None:
        raise Http404
    return instrument


def get_instrument_for_user(person: Someone, city_id: int, instrument_id: int) -> tuple[City, Instrument]:
    """The city and one instrument it answers, to compare its rounds."""
    city = get_city_for_user(person, city_id)
    return city, _instrument(city, instrument_id)


def get_response_for_user(
    person: Someone, city_id: int, instrument_id: int, round: str, *, write: bool = False
) -> Response:
    """The city's response to an instrument in a round, not yet saved if it was never started.

    Writing needs the right to change the city, and a response that is not submitted:
    submitted answers are locked until they are reopened.
    """
    city = get_city_for_user(person, city_id)
    instrument = _instrument(city, instrument_id)
    response = response_for(instrument=instrument, city=city, round=_round(round))
    response.city, response.instrument = city, instrument
    if write and (response.is_locked or not can_edit_city(person, city)):
        raise PermissionDenied
    return response


def get_response_to_reopen(person: Someone, city_id: int, instrument_id: int, round: str) -> Response:
    """A submitted response, for its city's lead expert or the programme team to reopen."""
    response = get_response_for_user(person, city_id, instrument_id, round)
    if not may_reopen(person, response.city):
        raise PermissionDenied
    if not response.is_locked:
        raise Http404
    return response


def get_result_for_user(person: Someone, city_id: int, instrument_id: int, round: str) -> Response:
    """A submitted thematic scan, whose result page ranks the themes."""
    response = get_response_for_user(person, city_id, instrument_id, round)
    if response.instrument.kind != InstrumentKind.SCAN or response.status != ResponseStatus.SUBMITTED:
        raise Http404
    return response


def _survey(city: City, round: str) -> SurveyRound:
    instrument = survey.enablers_instrument(city)
    if instrument is None:
        raise Http404
    campaign = SatCampaign.objects.filter(instrument=instrument, city=city, round=_round(round)).first()
    if campaign is not None:
        campaign.city, campaign.instrument = city, instrument
    return SurveyRound(city, instrument, round, campaign)


def get_survey_for_user(person: Someone, city_id: int, round: str, *, write: bool = False) -> SurveyRound:
    """The city's local-enablers survey of a round; writing (opening it) needs the right to change the city."""
    return _survey(get_city_for_user(person, city_id, write=write), round)


def get_campaign_for_user(person: Someone, city_id: int, round: str, *, write: bool = False) -> SatCampaign:
    """A survey round that was opened: to close it, invite to it or share it."""
    city = get_city_for_user(person, city_id)
    campaign = _survey(city, round).campaign
    if campaign is None:
        raise Http404
    if write and not can_edit_city(person, city):
        raise PermissionDenied
    return campaign


def get_indicator_set_for_user(person: Someone, city_id: int, round: str, *, write: bool = False) -> CityRound:
    """The city's indicator values and maturity ratings of a round."""
    return CityRound(get_city_for_user(person, city_id, write=write), _round(round))


def get_indicator_set_to_reopen(person: Someone, city_id: int, round: str) -> CityRound:
    """Submitted indicator values, for the city's lead expert or the programme team to reopen."""
    found = get_indicator_set_for_user(person, city_id, round)
    if not may_reopen(person, found.city):
        raise PermissionDenied
    return found


def get_workbook_for_user(person: Someone, city_id: int, round: str, *, write: bool = False) -> CityRound:
    """The city's whole assessment of a round as one workbook: answers, values and ratings."""
    return CityRound(get_city_for_user(person, city_id, write=write), _round(round))


def get_peer_group_for_user(person: Someone, city_id: int, *, write: bool = False) -> City:
    """The city whose peers are compared; only the programme team sets the population they are chosen by."""
    city = get_city_for_user(person, city_id)
    if write and not is_programme_team(person, city.programme):
        raise PermissionDenied
    return city


def get_question_for_user(person: Someone, slug: str, question_id: int, *, write: bool = False) -> Question:
    """A question of one of the programme's instruments, for the programme team to reword.

    Reading and writing need the same right: the instruments pages belong to the programme team.
    """
    programme = get_programme_for_user(person, slug, write=True)
    question = (
        Question.objects.filter(pk=question_id, section__instrument__programme=programme)
        .select_related("section__instrument__programme")
        .first()
    )
    if question is None:
        raise Http404
    return question
