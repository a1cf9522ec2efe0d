from tests.conftest import EMAILS, login


def test_healthz_reports_both_stores(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["graph"]["ok"] is True and body["db"]["ok"] is True


def test_coordinator_sees_network_pages(client, world):
    login(client, EMAILS["coordinatorA"])
    uid = world.networks["A"]["uid"]
    page = client.get(f"/networks/{uid}/people/").get_data(as_text=True)
    assert "A Person 0" in page and "B Person 0" not in page
