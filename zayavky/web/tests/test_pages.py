"""The frame of every staff page: Ukrainian first with English on request, the login
page, the header, labels on every field, and nothing loaded from the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from zayavky.conftest import PASSWORD
from zayavky.web.tests.pages import content, messages, section, text

STATIC = Path(__file__).resolve().parents[1] / "static" / "web"
EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I
)


def test_it_logs_in_through_the_ukrainian_login_page(district):
    client = Client()
    page = content(client.get("/login/"))
    assert '<html lang="uk">' in page and "Вхід" in page and 'data-testid="login-form"' in page

    wrong = client.post("/login/", {"username": "head", "password": "nope"})
    assert wrong.status_code == 200 and "Будь ласка, введіть правильні" in text(content(wrong))

    right = client.post("/login/", {"username": "head", "password": PASSWORD})
    assert right.status_code == 302 and right["Location"] == "/"
    home = content(client.get("/"))
    assert "Кравченко А." in section(home, "current-user")
    assert "Керівник підрозділу (ЖКГ)" in text(section(home, "current-roles"))


def test_it_stays_ukrainian_for_an_english_browser_until_the_person_switches(district, login):
    client = login("head", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Мої черги" in content(client.get("/"))

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/requests/"})
    assert switched.status_code == 302 and switched["Location"] == "/requests/"
    page = content(client.get("/"))
    assert '<html lang="en">' in page and "My queues" in page and "Мої черги" not in page
    assert "Requests to assign" in page

    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})
    assert "Мої черги" in content(client.get("/"))


def test_the_header_has_what_each_role_needs(district, login):
    page = content(login("admin").get("/"))
    header = section(page, "site-header") + page.split('data-testid="nav"')[1].split("</nav>")[0]
    assert 'class="skip-link" href="#main"' in page and 'id="main"' in page
    assert 'data-testid="nav-admin"' in header and 'data-testid="nav-api"' in header
    assert re.search(r'<form class="logout" action="/logout/" method="post"', page)  # logging out is a POST
    assert "Саксаганський райвиконком" in page  # the organisation's short name
    assert 'data-testid="nav-admin"' not in content(login("executor").get("/"))


def test_the_logout_button_logs_out(district, login):
    client = login("head")
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("general", "/"),
        ("general", "/requests/"),
        ("general", "/classifier/"),
        ("head", "/requests/{id}/"),
        ("executor", "/requests/{id}/"),
        ("controller", "/"),
        ("signatory", "/"),
    ],
)
def test_pages_load_nothing_from_the_internet_and_label_every_field(district, advance, login, persona, path):
    request = advance("in_work", category=district.emergency)
    page = content(login(persona).get(path.format(id=request.pk)))
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    # Every visible field has a label pointing at it (keyboard and screen-reader users).
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        if re.search(r'type="(hidden|submit|radio)"', tag):
            continue
        field_id = re.search(r'id="([^"]+)"', tag)
        assert field_id, tag
        assert f'for="{field_id.group(1)}"' in page, tag


def test_the_stylesheet_and_script_are_our_own_files(client):
    for name in ("web.css", "web.js"):
        source = (STATIC / name).read_text()
        assert "http://" not in source and "https://" not in source and "@import" not in source
    assert client.get("/static/web/web.css").status_code == 200


def test_the_login_page_loads_nothing_from_the_internet(db, client):
    assert not EXTERNAL.search(content(client.get("/login/")))


def test_a_message_area_is_on_every_page(district, login):
    page = content(login("executor").get("/requests/"))
    assert 'role="status" aria-live="polite" data-testid="messages"' in page
    assert messages(page) == []
