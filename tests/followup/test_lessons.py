"""The lessons library: success factors and findings marked to spread, searchable and filtered."""

from __future__ import annotations

from tests.conftest import login


def test_lessons_search_and_filters(client, data):
    login(client, "regional_norr")
    page = client.get("/uppfoljning/lardomar").get_data(as_text=True)
    assert "2 lärdomar." in page
    assert "brytpunktssamtal" in page and "hygienombud" in page
    assert "Testboendet Ett" in page and "2026-03-10" in page and "2025-03-11" in page
    assert "viktuppföljning" not in page  # a deficiency not marked as a lesson
    page = client.get("/uppfoljning/lardomar?q=BRYTPUNKT").get_data(as_text=True)
    assert "1 lärdom." in page and "brytpunktssamtal" in page
    page = client.get("/uppfoljning/lardomar?omrade=Hygien").get_data(as_text=True)
    assert "1 lärdom." in page and "hygienombud" in page
    page = client.get("/uppfoljning/lardomar?ar=2026").get_data(as_text=True)
    assert "1 lärdom." in page
    page = client.get("/uppfoljning/lardomar?q=100%25").get_data(as_text=True)
    assert "0 lärdomar." in page
