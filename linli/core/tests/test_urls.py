def test_the_front_page_leads_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["code"]
