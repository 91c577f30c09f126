from datetime import date

from tests.conftest import login


def test_login_and_year_view(client, world):
    login(client, "mas_a")
    response = client.get(f"/arsoversikt?ar={date.today().year}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Testboendet Ett" in page
    assert "Testboendet Tre" not in page  # another municipality
