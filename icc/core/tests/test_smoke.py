def test_home_welcomes_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_rep_sees_own_city_on_home(cast):
    response = cast.client_for("rep_a").get("/")
    assert response.status_code == 200
    assert "Alphaville" in response.content.decode()
    assert "Betatown" not in response.content.decode()
