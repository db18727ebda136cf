import pytest


@pytest.mark.django_db
def test_demo(cast):
    from icc.finance.demo import record_demo_finance
    from icc.finance.models import Call, FundingMatch
    from icc.finance.tests.helpers import make_action

    make_action(cast.city_a)
    make_action(cast.city_a, budget=900000)
    record_demo_finance(cast.programme)
    record_demo_finance(cast.programme)
    assert Call.objects.count() == 10 and FundingMatch.objects.exists()
